-- An accepted plan's tasks, from the Arrow table the store registers as incoming_plan_tasks.
INSERT INTO plan_tasks BY NAME SELECT * FROM incoming_plan_tasks
