-- Per subcommittee, over every unit's latest accepted report: readiness, counts by status, overdue.
-- $today: the date that decides what is overdue.
SELECT
    s.name AS subcommittee,
    s.short,
    readiness_of(t.weight, t.progress) AS readiness,
    count(t.task) FILTER (WHERE t.status <> 'not_applicable') AS tasks,
    count(t.task) FILTER (WHERE t.status = 'done') AS done,
    count(t.task) FILTER (WHERE t.status = 'in_progress') AS in_progress,
    count(t.task) FILTER (WHERE t.status = 'not_started') AS not_started,
    count(t.task) FILTER (WHERE t.status = 'blocked') AS blocked,
    count(t.task) FILTER (WHERE t.status = 'not_applicable') AS not_applicable,
    count(t.task) FILTER (WHERE t.status = 'not_reported') AS not_reported,
    count(t.task) FILTER (WHERE is_overdue(t.deadline, t.status, t.percent, $today)) AS overdue,
    count(DISTINCT t.unit) AS units
FROM subcommittees AS s
LEFT JOIN current_tasks AS t ON t.subcommittee = s.name
GROUP BY s.name, s.short, s.position
ORDER BY s.position
