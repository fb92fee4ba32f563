-- The submissions of one archived arrival ($sha256 received at $received_at): what reconcile and
-- rebuild look for.
SELECT id, status, withdrawn_at
FROM submissions
WHERE sha256 = $sha256 AND received_at = $received_at
ORDER BY id
