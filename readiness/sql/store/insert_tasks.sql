-- A batch's task rows, from the Arrow table the store registers as incoming_tasks.
INSERT INTO tasks BY NAME SELECT * FROM incoming_tasks
