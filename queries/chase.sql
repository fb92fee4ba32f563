-- Who to call before a meeting: units whose latest report is older than the reporting interval or who
-- never reported, and units with overdue tasks or planned tasks they left out of their report (not
-- reported), with their contact (config units[].contact, phone) and what is missing or late: the
-- counts, the earliest deadline missed, the most days late, and the tasks themselves, earliest
-- deadline first (overdue_tasks: task, deadline, days_late, reported — false for a planned task the
-- unit left out; not_reported_tasks: task, deadline). report_due: the day a fresh report was due (the
-- last report's date plus the interval). Worst first: never reported, then stale (oldest report first),
-- then the most tasks late or missing.
-- $today: the date that decides overdue and stale.
WITH figures AS (
    SELECT
        unit,
        count(*) FILTER (WHERE is_overdue(deadline, status, percent, $today)) AS overdue,
        count(*) FILTER (WHERE status = 'not_reported') AS not_reported,
        count(*) FILTER (WHERE status = 'blocked') AS blocked,
        min(deadline) FILTER (WHERE is_overdue(deadline, status, percent, $today)) AS earliest_deadline,
        max(days_late(deadline, status, percent, $today)) AS most_days_late,
        list(
            {'task': task, 'deadline': deadline, 'days_late': days_late(deadline, status, percent, $today),
             'reported': status <> 'not_reported'}
            ORDER BY deadline, task
        ) FILTER (WHERE is_overdue(deadline, status, percent, $today)) AS overdue_tasks,
        list({'task': task, 'deadline': deadline} ORDER BY deadline NULLS LAST, task) FILTER (
            WHERE status = 'not_reported'
        ) AS not_reported_tasks
    FROM current_tasks
    GROUP BY unit
),

units_now AS (
    SELECT
        u.name AS unit,
        u.level,
        u.contact,
        u.phone,
        u.position,
        l.report_date AS last_report,
        $today - l.report_date AS days_since,
        l.report_date IS NULL AS never_reported,
        coalesce(l.report_date < $today - e.report_interval_days, false) AS stale,
        l.report_date + e.report_interval_days AS report_due,
        coalesce(f.overdue, 0) AS overdue,
        coalesce(f.not_reported, 0) AS not_reported,
        coalesce(f.blocked, 0) AS blocked,
        f.earliest_deadline,
        f.most_days_late,
        coalesce(f.overdue_tasks, []) AS overdue_tasks,
        coalesce(f.not_reported_tasks, []) AS not_reported_tasks
    FROM units AS u
    CROSS JOIN exercise AS e
    LEFT JOIN latest_reports AS l ON l.unit = u.name
    LEFT JOIN figures AS f ON f.unit = u.name
)

SELECT * EXCLUDE (position)
FROM units_now
WHERE never_reported OR stale OR overdue > 0 OR not_reported > 0
ORDER BY
    never_reported DESC,
    stale DESC,
    CASE WHEN stale THEN last_report END,
    overdue + not_reported DESC,
    earliest_deadline,
    position
