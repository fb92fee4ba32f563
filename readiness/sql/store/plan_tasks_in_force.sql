-- The plan in force, one row per task and unit, in the config's order.
SELECT
    p.unit,
    s.short AS subcommittee_short,
    p.subcommittee,
    p.code,
    p.task,
    p.deadline,
    p.weight,
    p.sheet,
    p.row_no
FROM plan_in_force AS p
JOIN units AS u ON u.name = p.unit
JOIN subcommittees AS s ON s.name = p.subcommittee
ORDER BY u.position, s.position, p.sheet, p.row_no
