-- Readiness per unit and subcommittee at each report date, for trends. For a unit that sent
-- several reports dated the same day, the last to arrive counts.
-- With a plan, each report counts against it (planned tasks it omits as not reported).
-- Read from report_sums: one row per report that counts on its date and subcommittee, its tasks summed.
SELECT
    unit,
    subcommittee,
    report_date,
    readiness_from(weighted, weight) AS readiness,
    tasks,
    done,
    blocked
FROM report_sums
ORDER BY unit, subcommittee, report_date
