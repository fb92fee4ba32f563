-- A new plan id.
SELECT nextval('plan_id') AS id
