-- Readiness of each unit x subcommittee from the unit's latest accepted report.
-- Not-applicable tasks are left out; readiness is the weighted mean of task progress (0-100).
-- With a plan in force: not_reported counts the planned tasks the report omits (progress 0, counted),
-- extra the reported tasks outside the plan (not counted).
-- $today: the date that decides what is overdue and which units are stale.
WITH counted AS (
    SELECT * FROM current_tasks WHERE status <> 'not_applicable'
),

cells AS (
    SELECT
        unit,
        subcommittee,
        readiness_of(weight, progress) AS readiness,
        count(*) AS tasks,
        count(*) FILTER (WHERE status = 'done') AS done,
        count(*) FILTER (WHERE is_overdue(deadline, status, percent, $today)) AS overdue,
        count(*) FILTER (WHERE status = 'blocked') AS blocked,
        count(*) FILTER (WHERE status = 'not_reported') AS not_reported,
        max(report_date) AS last_report
    FROM counted
    GROUP BY unit, subcommittee
),

-- Reported tasks outside the plan: shown beside the cell, not counted in it.
extras AS (
    SELECT unit, subcommittee, count(*) AS extra
    FROM extra_tasks
    GROUP BY unit, subcommittee
)

SELECT
    c.unit,
    c.subcommittee,
    c.readiness,
    c.tasks,
    c.done,
    c.overdue,
    c.blocked,
    c.not_reported,
    coalesce(x.extra, 0) AS extra,
    c.last_report,
    u.level,
    s.short AS subcommittee_short,
    c.last_report < $today - e.report_interval_days AS stale
FROM cells AS c
LEFT JOIN extras AS x ON x.unit = c.unit AND x.subcommittee = c.subcommittee
JOIN units AS u ON u.name = c.unit
JOIN subcommittees AS s ON s.name = c.subcommittee
CROSS JOIN exercise AS e
ORDER BY u.level = 'commune', u.position, s.position
