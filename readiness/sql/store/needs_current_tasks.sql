-- A database written before current_task_rows existed: something to show, and nothing stored.
SELECT NOT EXISTS (SELECT 1 FROM current_task_rows)
    AND (EXISTS (SELECT 1 FROM current_reports) OR EXISTS (SELECT 1 FROM plan_in_force))
