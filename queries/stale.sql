-- Units whose latest accepted report is older than the reporting interval, or who never reported.
-- $today: the date against which the interval is counted.
SELECT
    u.name AS unit,
    u.level,
    l.report_date AS last_report,
    l.received_at AS last_received,
    $today - l.report_date AS days_since,
    l.report_date IS NULL AS never_reported
FROM units AS u
CROSS JOIN exercise AS e
LEFT JOIN latest_reports AS l ON l.unit = u.name
WHERE l.report_date IS NULL OR l.report_date < $today - e.report_interval_days
ORDER BY never_reported DESC, l.report_date, u.position
