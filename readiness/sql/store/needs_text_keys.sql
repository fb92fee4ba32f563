-- A task stored before text keys existed (a row: some need filling).
SELECT 1 FROM tasks WHERE text_key IS NULL LIMIT 1
