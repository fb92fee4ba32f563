-- Readiness of one subcommittee over time, all units together (subcommittee_trend's rows with unit
-- NULL, without the per-unit rows): a row per report date.
-- $today: dates after it are left out; $subcommittee: its full name.
SELECT
    day,
    CAST(NULL AS VARCHAR) AS unit,
    readiness_of_sums(weighted, weight) AS readiness,
    sum(tasks)::BIGINT AS tasks
FROM subcommittee_days($subcommittee, $today)
GROUP BY day
ORDER BY day
