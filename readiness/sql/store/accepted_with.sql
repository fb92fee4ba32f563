-- The counting submission already stored for each of these file digests ($digests): a file sent
-- again is a duplicate of it.
SELECT sha256, min(id) AS id, any_value(unit) AS unit
FROM submissions
WHERE list_contains($digests, sha256) AND status = 'accepted' AND withdrawn_at IS NULL
GROUP BY sha256
