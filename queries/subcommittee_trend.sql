-- Readiness of one subcommittee over time: at each report date, every unit counted with its
-- latest accepted report dated on or before it; one row per unit and one aggregate row (unit NULL).
-- $today: dates after it are left out; $subcommittee: its full name.
WITH days AS (
    SELECT DISTINCT report_date AS day FROM accepted_reports WHERE report_date <= $today
),

latest AS (
    SELECT d.day, r.id, r.unit
    FROM days AS d
    JOIN accepted_reports AS r ON r.report_date <= d.day
    QUALIFY row_number() OVER (
        PARTITION BY d.day, r.unit ORDER BY r.report_date DESC, r.received_at DESC, r.id DESC
    ) = 1
),

counted AS (
    SELECT l.day, l.unit, t.weight, t.progress
    FROM latest AS l
    JOIN task_progress AS t ON t.submission_id = l.id
    WHERE t.subcommittee = $subcommittee AND t.status <> 'not_applicable'
)

SELECT
    day,
    unit,
    round(sum(weight * progress) / nullif(sum(weight), 0), 1) AS readiness,
    count(*) AS tasks
FROM counted
GROUP BY GROUPING SETS ((day, unit), (day))
ORDER BY unit NULLS FIRST, day
