-- One plan file's answer.
INSERT INTO plans (
    id, sha256, original_name, loaded_at, source, loaded_by, status, n_tasks, n_units, errors, warnings, file_kind
)
VALUES (
    $id, $sha256, $original_name, $loaded_at, $source, $loaded_by, $status, $n_tasks, $n_units, $errors, $warnings,
    $file_kind
)
