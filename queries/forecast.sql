-- Where each unit and subcommittee will be on D-day at its own pace. The trend is its readiness in
-- each of the unit's last four reports up to $today (the last report of a day; with a plan, the
-- planned tasks a report omits count as not reported). The fit is ordinary least squares, a straight
-- line of readiness against days (regr_slope, regr_intercept) through those points: the pace of about
-- the last month, as the subcommittee page's projection takes it. From the line: the readiness
-- projected on D-day and on the next milestone (within 0-100), and the first day it reaches 100%
-- (projected_completion). No line is drawn from fewer than two reports: `reason` says why there is no
-- forecast ('no_report', 'one_report'); 'flat' is a line that does not rise (no completion date);
-- 'complete' a cell already at 100%, forecast 100 from the first of those reports at 100% after the
-- last below it. misses_d_day: projected short of 100% on D-day (NULL without a forecast); gap: how
-- far short. Sorted by the gap, largest first; cells without a forecast last.
-- $today: reports dated after it are left out; the line's days are counted from it.
WITH reports AS (
    SELECT id, unit, report_date
    FROM dated_reports
    WHERE report_date <= CAST($today AS DATE)
    QUALIFY rank() OVER (PARTITION BY unit ORDER BY report_date DESC) <= 4
),

scope AS (
    SELECT t.*, r.unit, r.report_date
    FROM reports AS r
    JOIN report_tasks AS t ON t.submission_id = r.id
),

-- Only those reports are counted (counted_in, as tasks_on does), not a year of history.
points AS (
    SELECT
        unit,
        subcommittee,
        report_date AS day,
        readiness_of(weight, progress) AS readiness
    FROM counted_in('scope', 'reports')
    WHERE status <> 'not_applicable'
    GROUP BY unit, subcommittee, report_date
    HAVING readiness IS NOT NULL
),

runs AS (
    SELECT
        unit,
        subcommittee,
        min(day) FILTER (WHERE readiness >= 100 AND day > coalesce(last_below, DATE '0001-01-01')) AS complete_since
    FROM (SELECT *, max(day) FILTER (WHERE readiness < 100) OVER (PARTITION BY unit, subcommittee) AS last_below
        FROM points)
    GROUP BY unit, subcommittee
),

-- x: days from $today (0 today, negative before), so the intercept is the line's value today.
fits AS (
    SELECT
        unit,
        subcommittee,
        count(*) AS reports,
        min(day) AS first_used,
        max(day) AS last_report,
        regr_slope(readiness, day - CAST($today AS DATE)) AS slope,
        regr_intercept(readiness, day - CAST($today AS DATE)) AS intercept
    FROM points
    GROUP BY unit, subcommittee
),

cells AS (
    SELECT unit, subcommittee, readiness_of(weight, progress) AS readiness
    FROM current_tasks
    WHERE status <> 'not_applicable'
    GROUP BY unit, subcommittee
),

targets AS (
    SELECT
        CAST(e.d_day AS DATE) AS d_day,
        m.name AS next_milestone,
        CAST(m.date AS DATE) AS next_milestone_date
    FROM exercise AS e
    LEFT JOIN (
        SELECT * FROM milestones WHERE CAST(date AS DATE) > CAST($today AS DATE) ORDER BY date LIMIT 1
    ) AS m ON true
),

lines AS (
    SELECT
        c.unit,
        c.subcommittee,
        c.readiness,
        coalesce(f.reports, 0) AS reports,
        f.first_used,
        f.last_report,
        f.slope,
        f.intercept,
        r.complete_since,
        CASE
            WHEN c.readiness >= 100 AND r.complete_since IS NOT NULL THEN 'complete'
            WHEN f.reports IS NULL THEN 'no_report'
            WHEN f.reports < 2 THEN 'one_report'
            WHEN f.slope <= 0 THEN 'flat'
        END AS reason
    FROM cells AS c
    LEFT JOIN fits AS f ON f.unit = c.unit AND f.subcommittee = c.subcommittee
    LEFT JOIN runs AS r ON r.unit = c.unit AND r.subcommittee = c.subcommittee
),

projected AS (
    SELECT
        l.*,
        g.*,
        CASE
            WHEN l.reason = 'complete' THEN 100.0
            WHEN l.reports >= 2
                THEN round(greatest(0, least(100, l.intercept + l.slope * (g.d_day - CAST($today AS DATE)))), 1)
        END AS projected_on_d_day,
        CASE
            WHEN l.reason = 'complete' THEN 100.0
            WHEN l.reports >= 2 AND g.next_milestone_date IS NOT NULL
                THEN round(
                    greatest(0, least(100, l.intercept + l.slope * (g.next_milestone_date - CAST($today AS DATE)))), 1
                )
        END AS projected_at_milestone,
        CASE
            WHEN l.reason = 'complete' THEN l.complete_since
            WHEN l.reports >= 2 AND l.slope > 0
                -- The first whole day on the line at 100% (rounded first: 14.000000000000002 days is
                -- 14), today at the earliest.
                THEN CAST($today AS DATE) + CAST(greatest(0, ceil(round((100 - l.intercept) / l.slope, 6))) AS INTEGER)
        END AS projected_completion
    FROM lines AS l
    CROSS JOIN targets AS g
)

SELECT
    p.unit,
    u.level,
    p.subcommittee,
    s.short AS subcommittee_short,
    p.readiness,
    p.reports,
    p.first_used,
    p.last_report,
    round(p.slope * 7, 1) AS rate_per_week,
    p.d_day,
    p.projected_on_d_day,
    p.projected_completion,
    p.projected_on_d_day < 100 AS misses_d_day,
    round(100 - p.projected_on_d_day, 1) AS gap,
    p.next_milestone,
    p.next_milestone_date,
    p.projected_at_milestone,
    p.projected_at_milestone < 100 AS misses_milestone,
    p.reason
FROM projected AS p
JOIN units AS u ON u.name = p.unit
JOIN subcommittees AS s ON s.name = p.subcommittee
ORDER BY gap DESC NULLS LAST, u.position, s.position
