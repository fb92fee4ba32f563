-- Whether a plan file loaded at a given time is in the database (settling its archive entry).
SELECT id FROM plans WHERE sha256 = $sha256 AND loaded_at = $at
