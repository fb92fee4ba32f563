-- Stop submission $id from counting; no row back when it no longer counts (two secretaries at once:
-- the second finds it withdrawn already).
UPDATE submissions
SET withdrawn_at = $at, withdrawn_by = $actor, withdrawn_reason = $reason
WHERE id = $id AND status = 'accepted' AND withdrawn_at IS NULL
RETURNING id
