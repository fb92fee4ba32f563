-- The last files received, newest first, for the "recent arrivals" list. $limit: how many.
SELECT id, received_at, original_name, unit, status, tasks, source, withdrawn_at
FROM received_files
ORDER BY received_at DESC, id DESC
LIMIT $limit
