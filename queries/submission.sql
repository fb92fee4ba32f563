-- One submission by id: its file, answer, messages and withdrawal (the history page's detail).
SELECT id, sha256, original_name, unit, status, errors, warnings, withdrawn_at, withdrawn_by, withdrawn_reason
FROM received_files
WHERE id = $id
