-- Tasks past their deadline and not done, in every unit's latest accepted report, latest deadline last.
-- $today: the date that decides what is overdue.
SELECT
    t.unit,
    t.subcommittee,
    s.short AS subcommittee_short,
    t.code,
    t.task,
    t.deadline,
    days_late(t.deadline, t.status, t.percent, $today) AS days_late,
    t.status,
    t.percent,
    t.progress,
    t.weight,
    t.owner,
    t.note,
    t.report_date,
    t.sheet,
    t.row_no
FROM current_tasks AS t
JOIN units AS u ON u.name = t.unit
JOIN subcommittees AS s ON s.name = t.subcommittee
WHERE is_overdue(t.deadline, t.status, t.percent, $today)
ORDER BY t.deadline, t.weight DESC, u.position, s.position, t.row_no
