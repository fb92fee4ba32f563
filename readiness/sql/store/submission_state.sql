-- What a withdrawal checks first: submission $id's file, arrival, answer and unit.
SELECT sha256, received_at, status, withdrawn_at, unit FROM submissions WHERE id = $id
