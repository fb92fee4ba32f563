-- Headline figures now and a week earlier, for the change since the previous week.
-- "As of" a day, each unit counts with its latest accepted report dated on or before that day.
-- $today: the day the figures are for.
WITH as_of AS (
    SELECT 'now' AS period, CAST($today AS DATE) AS day
    UNION ALL
    SELECT 'week_ago' AS period, CAST($today AS DATE) - 7 AS day
),

latest AS (
    SELECT a.period, a.day, r.id, r.unit, r.report_date
    FROM as_of AS a
    JOIN dated_reports AS r ON counts_on(r.report_date, r.next_report_date, a.day)
    JOIN units AS u ON u.name = r.unit
),

-- Each unit's tasks as they count that day (with a plan, a planned unit with no report yet counts
-- every planned task as not reported).
counted AS (
    SELECT 'now' AS period, CAST($today AS DATE) AS day, * FROM tasks_on(CAST($today AS DATE))
    UNION ALL
    SELECT 'week_ago' AS period, CAST($today AS DATE) - 7 AS day, * FROM tasks_on(CAST($today AS DATE) - 7)
),

figures AS (
    SELECT
        c.period,
        readiness_of(c.weight, c.progress) AS readiness,
        count(*) FILTER (WHERE is_overdue(c.deadline, c.status, c.percent, c.day)) AS overdue,
        count(*) FILTER (WHERE c.status = 'blocked') AS blocked
    FROM counted AS c
    JOIN units AS u ON u.name = c.unit
    GROUP BY c.period
),

reporting AS (
    SELECT
        a.period,
        count(l.unit) AS reported,
        count(l.unit) FILTER (WHERE l.report_date < a.day - e.report_interval_days) AS stale
    FROM as_of AS a
    CROSS JOIN exercise AS e
    LEFT JOIN latest AS l ON l.period = a.period
    GROUP BY a.period
)

SELECT
    r.period,
    f.readiness,
    (SELECT count(*) FROM units) AS units,
    r.reported,
    r.stale,
    (SELECT count(*) FROM units) - r.reported AS never_reported,
    coalesce(f.overdue, 0) AS overdue,
    coalesce(f.blocked, 0) AS blocked
FROM reporting AS r
LEFT JOIN figures AS f ON f.period = r.period
ORDER BY r.period = 'week_ago'
