-- In a write's transaction, after recompute_current: the stored current tasks of the units it touched
-- ($units; NULL for every unit, as after a plan load or a rebuild).
DELETE FROM current_task_rows
WHERE CAST($units AS VARCHAR[]) IS NULL OR list_contains(CAST($units AS VARCHAR[]), unit);
INSERT INTO current_task_rows BY NAME
SELECT * FROM current_tasks_of(CAST($units AS VARCHAR[]));
