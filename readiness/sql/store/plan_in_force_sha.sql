-- The plan in force's bytes and id (no row: no plan).
SELECT sha256, id FROM plans WHERE id = (SELECT max(id) FROM plans WHERE status = 'accepted')
