-- In a write's transaction, with a plan in force, after refresh_summary_current: the other reports of
-- the units it touched ($units; NULL for all) not summed yet (a late report, every earlier report
-- after a plan load), summed as they count against the plan (counted_in: planned tasks they omit as
-- not reported, extras left out, the plan's weights).
INSERT INTO report_summary BY NAME
WITH reports AS (
    SELECT * FROM unsummed_reports(CAST($units AS VARCHAR[]))
),

scope AS (
    SELECT * FROM unsummed_tasks(CAST($units AS VARCHAR[]))
),

counted AS (
    SELECT * FROM counted_in('scope', 'reports')
)

SELECT * FROM summed('counted')
