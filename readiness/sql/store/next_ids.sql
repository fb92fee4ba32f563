-- $n new submission ids.
SELECT nextval('submission_id') AS id FROM range($n)
