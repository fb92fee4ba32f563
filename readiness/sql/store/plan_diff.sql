-- What a new plan (registered as incoming_plan_tasks) changes against the plan in force: one row per
-- unit and task added, removed, or with its deadline or weight moved. Tasks are paired by code, else
-- by text in the same subcommittee, as reports are paired with the plan.
WITH old AS (
    SELECT *, coalesce(code IS NOT NULL, false) AS coded, text_key(task) AS tkey FROM plan_in_force
),

new AS (
    SELECT *, coalesce(code IS NOT NULL, false) AS coded, text_key(task) AS tkey FROM incoming_plan_tasks
),

paired AS (
    SELECT
        coalesce(n.unit, o.unit) AS unit,
        coalesce(n.subcommittee, o.subcommittee) AS subcommittee,
        coalesce(n.code, o.code) AS code,
        coalesce(n.task, o.task) AS task,
        o.deadline AS old_deadline,
        n.deadline AS new_deadline,
        o.weight AS old_weight,
        n.weight AS new_weight,
        CASE
            WHEN o.unit IS NULL THEN 'added'
            WHEN n.unit IS NULL THEN 'removed'
            WHEN o.deadline IS DISTINCT FROM n.deadline THEN 'deadline'
            WHEN o.weight IS DISTINCT FROM n.weight THEN 'weight'
        END AS change
    FROM new AS n
    FULL JOIN old AS o
        ON o.unit = n.unit
        AND (
            (o.coded AND n.coded AND o.task_key = n.task_key)
            OR ((NOT o.coded OR NOT n.coded) AND o.subcommittee = n.subcommittee AND o.tkey = n.tkey)
        )
)

SELECT p.change, p.unit, s.short AS subcommittee_short, p.subcommittee, p.code, p.task,
    p.old_deadline, p.new_deadline, p.old_weight, p.new_weight
FROM paired AS p
LEFT JOIN units AS u ON u.name = p.unit
LEFT JOIN subcommittees AS s ON s.name = p.subcommittee
WHERE p.change IS NOT NULL
ORDER BY p.change, u.position, s.position, p.task
