-- In a write's transaction, with a plan in force, after refresh_current_tasks: the current reports of
-- the units it touched ($units; NULL for all) not summed yet, from current_task_rows, which holds them
-- counted against the plan already (counted_in again would double an ingest's cost).
INSERT INTO report_summary BY NAME
WITH scope AS (
    SELECT *
    FROM current_task_rows
    WHERE submission_id IN (SELECT id FROM unsummed_reports(CAST($units AS VARCHAR[])))
)

SELECT * FROM summed('scope')
