-- Readiness per unit and subcommittee at each report date, for trends. For a unit that sent
-- several reports dated the same day, the last to arrive counts.
-- With a plan, each report counts against it (planned tasks it omits as not reported).
WITH counted AS (
    SELECT t.*
    FROM counted_tasks AS t
    JOIN dated_reports AS r ON r.id = t.submission_id
    WHERE t.status <> 'not_applicable'
)

SELECT
    unit,
    subcommittee,
    report_date,
    readiness_of(weight, progress) AS readiness,
    count(*) AS tasks,
    count(*) FILTER (WHERE status = 'done') AS done,
    count(*) FILTER (WHERE status = 'blocked') AS blocked
FROM counted
GROUP BY unit, subcommittee, report_date
ORDER BY unit, subcommittee, report_date
