-- Readiness per unit and subcommittee at each report date, for trends. For a unit that sent
-- several reports dated the same day, the last to arrive counts.
WITH per_date AS (
    SELECT *
    FROM accepted_reports
    QUALIFY row_number() OVER (PARTITION BY unit, report_date ORDER BY received_at DESC, id DESC) = 1
),

counted AS (
    SELECT t.*
    FROM task_progress AS t
    JOIN per_date AS r ON r.id = t.submission_id
    WHERE t.status <> 'not_applicable'
)

SELECT
    unit,
    subcommittee,
    report_date,
    round(sum(weight * progress) / nullif(sum(weight), 0), 1) AS readiness,
    count(*) AS tasks,
    count(*) FILTER (WHERE status = 'done') AS done,
    count(*) FILTER (WHERE status = 'blocked') AS blocked
FROM counted
GROUP BY unit, subcommittee, report_date
ORDER BY unit, subcommittee, report_date
