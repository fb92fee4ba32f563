-- What changed since a day (the last coordination meeting, or any day picked), per unit and
-- subcommittee, and per unit as a whole (subcommittee NULL): readiness as the board counted it on
-- $since and on $today (tasks_on: each unit's report that counts that day; with a plan, planned tasks
-- left out count as not reported) and the change; the tasks completed since, the tasks that became
-- overdue since, the tasks that went backwards (a lower status or a lower percent than in the report
-- that counted on $since, matched by task_key within the unit), and whether the unit sent no report
-- dated after $since. A unit with nothing to count on either day still has its unit row.
-- Worst first: the largest drop, then the most tasks gone backwards, then newly overdue, then the
-- lowest readiness.
-- $today: now; $since: the day compared with.
WITH then_tasks AS (
    SELECT * FROM tasks_on(CAST($since AS DATE)) WHERE status <> 'not_applicable'
),

now_tasks AS (
    SELECT * FROM tasks_on(CAST($today AS DATE)) WHERE status <> 'not_applicable'
),

-- How far along a status is, to tell a task that went backwards: blocked is behind in progress,
-- a planned task dropped from the report (not reported) behind not started.
then_keyed AS (
    SELECT
        unit,
        task_key,
        max(progress) AS progress,
        max(CASE status WHEN 'done' THEN 3 WHEN 'in_progress' THEN 2 WHEN 'not_reported' THEN 0 ELSE 1 END) AS stage,
        bool_or(is_overdue(deadline, status, percent, CAST($since AS DATE))) AS overdue,
        bool_or(status = 'done' OR coalesce(percent, 0) >= 100) AS finished
    FROM then_tasks
    GROUP BY unit, task_key
),

moves AS (
    SELECT
        n.*,
        (n.status = 'done' OR coalesce(n.percent, 0) >= 100) AND NOT coalesce(k.finished, false) AS completed,
        is_overdue(n.deadline, n.status, n.percent, CAST($today AS DATE))
        AND NOT coalesce(k.overdue, false) AS became_overdue,
        n.progress < k.progress
        OR CASE n.status WHEN 'done' THEN 3 WHEN 'in_progress' THEN 2 WHEN 'not_reported' THEN 0 ELSE 1 END
        < k.stage AS went_backwards
    FROM now_tasks AS n
    LEFT JOIN then_keyed AS k ON k.unit = n.unit AND k.task_key = n.task_key
),

now_cells AS (
    SELECT
        unit,
        subcommittee,
        readiness_of(weight, progress) AS readiness_now,
        count(*) AS tasks,
        count(DISTINCT task_key) FILTER (WHERE completed) AS completed,
        count(DISTINCT task_key) FILTER (WHERE became_overdue) AS became_overdue,
        count(DISTINCT task_key) FILTER (WHERE went_backwards) AS went_backwards,
        count(*) FILTER (WHERE is_overdue(deadline, status, percent, CAST($today AS DATE))) AS overdue
    FROM moves
    GROUP BY GROUPING SETS ((unit, subcommittee), (unit))
),

then_cells AS (
    SELECT unit, subcommittee, readiness_of(weight, progress) AS readiness_then
    FROM then_tasks
    GROUP BY GROUPING SETS ((unit, subcommittee), (unit))
),

cells AS (
    SELECT
        coalesce(n.unit, t.unit) AS unit,
        coalesce(n.subcommittee, t.subcommittee) AS subcommittee,
        t.readiness_then,
        n.readiness_now,
        coalesce(n.tasks, 0) AS tasks,
        coalesce(n.completed, 0) AS completed,
        coalesce(n.became_overdue, 0) AS became_overdue,
        coalesce(n.went_backwards, 0) AS went_backwards,
        coalesce(n.overdue, 0) AS overdue
    FROM now_cells AS n
    FULL JOIN then_cells AS t ON t.unit = n.unit AND t.subcommittee IS NOT DISTINCT FROM n.subcommittee
    UNION ALL
    SELECT name, NULL, NULL, NULL, 0, 0, 0, 0, 0
    FROM units AS u
    ANTI JOIN now_tasks AS n ON n.unit = u.name
    ANTI JOIN then_tasks AS t ON t.unit = u.name
),

sent AS (
    SELECT
        unit,
        max(report_date) AS last_report,
        count(*) FILTER (WHERE report_date > CAST($since AS DATE)) AS reports_since
    FROM dated_reports
    WHERE report_date <= CAST($today AS DATE)
    GROUP BY unit
)

SELECT
    c.unit,
    u.level,
    c.subcommittee,
    s.short AS subcommittee_short,
    c.readiness_then,
    c.readiness_now,
    round(c.readiness_now - c.readiness_then, 1) AS change,
    c.tasks,
    c.completed,
    c.became_overdue,
    c.went_backwards,
    c.overdue,
    r.last_report,
    coalesce(r.reports_since, 0) AS reports_since,
    coalesce(r.reports_since, 0) = 0 AS sent_nothing_since,
    CAST($since AS DATE) AS since
FROM cells AS c
JOIN units AS u ON u.name = c.unit
LEFT JOIN subcommittees AS s ON s.name = c.subcommittee
LEFT JOIN sent AS r ON r.unit = c.unit
ORDER BY
    change NULLS LAST,
    c.went_backwards DESC,
    c.became_overdue DESC,
    c.readiness_now NULLS FIRST,
    u.position,
    s.position NULLS FIRST
