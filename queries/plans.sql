-- Every task plan file loaded, newest first, with its answer (accepted, rejected, duplicate of the
-- plan in force) and whether it is the plan the figures count against now (in_force).
WITH in_force AS (
    SELECT max(plan_id) AS id FROM plan_in_force
)

SELECT
    p.id,
    p.loaded_at,
    p.original_name,
    p.source,
    p.loaded_by,
    p.status,
    p.n_tasks AS tasks,
    p.n_units AS units,
    coalesce(json_array_length(p.errors), 0) AS n_errors,
    coalesce(json_array_length(p.warnings), 0) AS n_warnings,
    p.sha256,
    coalesce(p.id = f.id, false) AS in_force
FROM plans AS p
CROSS JOIN in_force AS f
ORDER BY p.loaded_at DESC, p.id DESC
