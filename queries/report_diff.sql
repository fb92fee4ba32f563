-- What changed between two reports of a unit: tasks that moved status or percent, new, gone.
-- $old, $new: submission ids ($old NULL: every task is new). Tasks are matched by subcommittee and
-- code (or normalized text). The upload page's preview runs it too, the file's tasks standing in
-- as a submission of their own that is never committed (Store.preview).
WITH old AS (SELECT * FROM report_tasks WHERE submission_id = $old),

new AS (SELECT * FROM report_tasks WHERE submission_id = $new),

paired AS (
    SELECT
        coalesce(n.subcommittee, o.subcommittee) AS subcommittee,
        coalesce(n.task, o.task) AS task,
        o.status AS old_status,
        n.status AS new_status,
        o.percent AS old_percent,
        n.percent AS new_percent,
        CASE
            WHEN o.task_key IS NULL THEN 'new'
            WHEN n.task_key IS NULL THEN 'gone'
            WHEN o.status <> n.status OR o.percent IS DISTINCT FROM n.percent THEN 'changed'
            ELSE 'same'
        END AS change,
        coalesce(n.row_no, o.row_no) AS row_no
    FROM old AS o
    FULL OUTER JOIN new AS n ON o.task_key = n.task_key AND o.subcommittee = n.subcommittee
)

SELECT p.subcommittee, s.short AS subcommittee_short, p.task, p.change, p.old_status, p.new_status,
    p.old_percent, p.new_percent
FROM paired AS p
JOIN subcommittees AS s ON s.name = p.subcommittee
WHERE p.change <> 'same'
ORDER BY CASE p.change WHEN 'changed' THEN 1 WHEN 'new' THEN 2 ELSE 3 END, s.position, p.row_no
