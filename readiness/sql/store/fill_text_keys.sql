-- Key the tasks stored before text keys existed, as readiness.text.fold would.
UPDATE tasks SET text_key = text_key(task) WHERE text_key IS NULL
