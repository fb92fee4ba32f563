-- Readiness of one subcommittee over time: at each report date, every unit counted with its
-- latest accepted report dated on or before it; one row per unit and one aggregate row (unit NULL).
-- $today: dates after it are left out; $subcommittee: its full name.
WITH days AS (
    SELECT DISTINCT report_date AS day FROM accepted_reports WHERE report_date <= $today
),

latest AS (
    SELECT d.day, r.id, r.unit
    FROM days AS d
    JOIN dated_reports AS r ON counts_on(r.report_date, r.next_report_date, d.day)
),

-- With a plan, a planned unit with no report by that day counts its planned tasks as not reported.
counted AS (
    SELECT l.day, l.unit, t.weight, t.progress
    FROM latest AS l
    JOIN counted_tasks AS t ON t.submission_id = l.id
    WHERE t.subcommittee = $subcommittee AND t.status <> 'not_applicable'
    UNION ALL
    SELECT d.day, p.unit, p.weight, 0.0
    FROM days AS d
    JOIN plan_in_force AS p ON p.subcommittee = $subcommittee
    ANTI JOIN latest AS l ON l.day = d.day AND l.unit = p.unit
)

SELECT
    day,
    unit,
    readiness_of(weight, progress) AS readiness,
    count(*) AS tasks
FROM counted
GROUP BY GROUPING SETS ((day, unit), (day))
ORDER BY unit NULLS FIRST, day
