-- $n new plan ids.
SELECT nextval('plan_id') AS id FROM range($n)
