-- Readiness of one subcommittee over time: at each report date, every unit counted with its
-- latest accepted report dated on or before it; one row per unit and one aggregate row (unit NULL).
-- Read from report_sums (each report's counted tasks summed by subcommittee), not from the tasks.
-- $today: dates after it are left out; $subcommittee: its full name.
WITH days AS (
    SELECT day, dense_rank() OVER (ORDER BY day) AS n
    FROM (SELECT DISTINCT report_date AS day FROM accepted_reports WHERE report_date <= $today)
),

-- The days a report counts on (counts_on: from its date until the unit's next report date) are a
-- run of consecutive days here, numbered first_n to end_n - 1: the run is unnested, not every report
-- joined with every day by a range.
spans AS (
    SELECT
        s.unit,
        s.weighted,
        s.weight,
        s.tasks,
        f.n AS first_n,
        coalesce(e.n, (SELECT count(*) FROM days) + 1) AS end_n
    FROM report_sums AS s
    JOIN days AS f ON f.day = s.report_date
    LEFT JOIN days AS e ON e.day = s.next_report_date
    WHERE s.subcommittee = $subcommittee
),

-- One row per day and unit. With a plan, a planned unit with no report by that day counts its
-- planned tasks as not reported.
counted AS (
    SELECT d.day, s.unit, s.weighted, s.weight, s.tasks
    FROM (SELECT *, unnest(range(first_n, end_n)) AS n FROM spans) AS s
    JOIN days AS d ON d.n = s.n
    UNION ALL
    SELECT d.day, p.unit, p.weighted, p.weight, p.tasks
    FROM days AS d
    JOIN plan_sums AS p ON p.subcommittee = $subcommittee
    ANTI JOIN (SELECT unit, min(report_date) AS first FROM accepted_reports GROUP BY unit) AS f
        ON f.unit = p.unit AND f.first <= d.day
)

SELECT day, unit, readiness_from(weighted, weight) AS readiness, tasks
FROM counted
UNION ALL
SELECT day, NULL, readiness_of_sums(weighted, weight), sum(tasks)::BIGINT
FROM counted
GROUP BY day
ORDER BY unit NULLS FIRST, day
