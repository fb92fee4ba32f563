-- A database written before current_task_rows existed: a plan in force, and nothing stored.
SELECT NOT EXISTS (SELECT 1 FROM current_task_rows) AND EXISTS (SELECT 1 FROM plan_in_force)
