-- Tasks a unit reported that are not in the plan in force ("ngoài kế hoạch"): shown, not counted.
-- Empty without a plan. $unit, $subcommittee: a name, or NULL for all.
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
    t.owner,
    t.note,
    t.report_date,
    t.sheet,
    t.row_no
FROM extra_tasks AS t
JOIN units AS u ON u.name = t.unit
JOIN subcommittees AS s ON s.name = t.subcommittee
WHERE (CAST($unit AS VARCHAR) IS NULL OR t.unit = CAST($unit AS VARCHAR))
    AND (CAST($subcommittee AS VARCHAR) IS NULL OR t.subcommittee = CAST($subcommittee AS VARCHAR))
ORDER BY u.position, s.position, t.sheet, t.row_no
