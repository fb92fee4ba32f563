-- One unit's planned tasks, for the deadline check of its report: (task_key, code, subcommittee, task, deadline).
SELECT task_key, code, subcommittee, task, deadline
FROM plan_in_force
WHERE unit = $unit AND deadline IS NOT NULL
