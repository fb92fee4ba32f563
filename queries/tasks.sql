-- The tasks of every unit's latest accepted report, optionally of one unit and/or one subcommittee.
-- With a plan in force, the planned tasks a unit has not reported are listed with status
-- 'not_reported' (plan_state 'not_reported'; 'planned' for the others), and tasks outside the plan
-- are left out (see the query extra_tasks).
-- $today: decides overdue; $unit, $subcommittee: a name, or NULL for all.
SELECT
    t.unit,
    t.subcommittee,
    s.short AS subcommittee_short,
    t.code,
    t.task,
    t.status,
    t.percent,
    t.progress,
    t.deadline,
    is_overdue(t.deadline, t.status, t.percent, $today) AS overdue,
    days_late(t.deadline, t.status, t.percent, $today) AS days_late,
    t.owner,
    t.note,
    t.weight,
    t.report_date,
    t.sheet,
    t.row_no,
    t.plan_state
FROM current_tasks AS t
JOIN units AS u ON u.name = t.unit
JOIN subcommittees AS s ON s.name = t.subcommittee
WHERE (CAST($unit AS VARCHAR) IS NULL OR t.unit = CAST($unit AS VARCHAR))
    AND (CAST($subcommittee AS VARCHAR) IS NULL OR t.subcommittee = CAST($subcommittee AS VARCHAR))
ORDER BY u.position, s.position, t.sheet, t.row_no
