-- The overdue and blocked tasks that matter most: earliest deadline first, then highest weight.
-- $today: the day that decides what is overdue.
SELECT
    t.unit,
    t.subcommittee,
    s.short AS subcommittee_short,
    t.task,
    t.deadline,
    days_late(t.deadline, t.status, t.percent, $today) AS days_late,
    t.status,
    t.percent,
    t.owner,
    t.note,
    t.weight,
    is_overdue(t.deadline, t.status, t.percent, $today) AS overdue,
    t.status = 'blocked' AS blocked
FROM current_tasks AS t
JOIN units AS u ON u.name = t.unit
JOIN subcommittees AS s ON s.name = t.subcommittee
WHERE is_overdue(t.deadline, t.status, t.percent, $today) OR t.status = 'blocked'
ORDER BY t.deadline NULLS LAST, t.weight DESC, u.position, s.position
