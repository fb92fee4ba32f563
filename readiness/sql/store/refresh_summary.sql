-- In a write's transaction: report_summary in step for the units it touched ($units; NULL for every
-- unit: a plan load, a rebuild, a database from before the table). A report's sums change only with
-- the plan in force, so only the reports not summed yet are summed; the rows of a report that no
-- longer counts on its date (withdrawn, or another of the same day arrived) go; and the next report
-- date is set again (a new report ends its predecessor's span).
DELETE FROM report_summary
WHERE CAST($units AS VARCHAR[]) IS NULL
    OR (
        list_contains(CAST($units AS VARCHAR[]), unit)
        AND submission_id NOT IN (
            SELECT id FROM dated_reports WHERE list_contains(CAST($units AS VARCHAR[]), unit)
        )
    );
INSERT INTO report_summary BY NAME
WITH reports AS (
    SELECT d.id, d.unit, d.report_date
    FROM dated_reports AS d
    ANTI JOIN report_summary AS s ON s.submission_id = d.id
    WHERE CAST($units AS VARCHAR[]) IS NULL OR list_contains(CAST($units AS VARCHAR[]), d.unit)
),

scope AS (
    SELECT t.*, r.unit, r.report_date
    FROM reports AS r
    JOIN report_tasks AS t ON t.submission_id = r.id
)

SELECT
    submission_id,
    unit,
    subcommittee,
    report_date,
    count(*) AS tasks,
    count(*) FILTER (WHERE status = 'done') AS done,
    count(*) FILTER (WHERE status = 'blocked') AS blocked,
    sum(weight * progress) AS weighted,
    sum(weight) FILTER (WHERE progress IS NOT NULL) AS weight
FROM counted_in('scope', 'reports')
WHERE status <> 'not_applicable'
GROUP BY submission_id, unit, subcommittee, report_date;
UPDATE report_summary AS s
SET next_report_date = d.next_report_date
FROM dated_reports AS d
WHERE d.id = s.submission_id
    AND (CAST($units AS VARCHAR[]) IS NULL OR list_contains(CAST($units AS VARCHAR[]), d.unit))
    AND s.next_report_date IS DISTINCT FROM d.next_report_date;
