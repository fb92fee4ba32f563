-- Readiness of one subcommittee over time: at each report date, every unit counted with its
-- latest accepted report dated on or before it; one row per unit and one aggregate row (unit NULL).
-- Read from report_sums (each report's counted tasks summed by subcommittee), not from the tasks.
-- The aggregate alone: subcommittee_trend_total (what the page draws unless units are asked for).
-- $today: dates after it are left out; $subcommittee: its full name.
WITH counted AS (
    SELECT * FROM subcommittee_days($subcommittee, $today)
)

SELECT day, unit, readiness_from(weighted, weight) AS readiness, tasks
FROM counted
UNION ALL
SELECT day, NULL, readiness_of_sums(weighted, weight), sum(tasks)::BIGINT
FROM counted
GROUP BY day
ORDER BY unit NULLS FIRST, day
