-- Each unit's own assessment (tự đánh giá) from its current report, beside the readiness the board
-- computes for the same scope (the whole unit when subcommittee is NULL) and a flag when they are far
-- apart (rated "Đạt" under the exercise's assessment_threshold or with overdue tasks; "Chưa đạt" at
-- 100%). $today: decides overdue; $unit: a name, or NULL for all.
SELECT
    a.unit,
    a.subcommittee,
    s.short AS subcommittee_short,
    a.rating,
    a.remark,
    a.ready_by,
    a.readiness,
    a.overdue,
    coalesce(a.far_from_figures, false) AS far_from_figures,
    a.report_date,
    a.sheet,
    a.row_no
FROM assessed_on(CAST($today AS DATE)) AS a
JOIN units AS u ON u.name = a.unit
LEFT JOIN subcommittees AS s ON s.name = a.subcommittee
WHERE CAST($unit AS VARCHAR) IS NULL OR a.unit = CAST($unit AS VARCHAR)
ORDER BY u.position, s.position NULLS FIRST
