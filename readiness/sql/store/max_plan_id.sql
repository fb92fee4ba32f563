-- The highest plan id (0: none).
SELECT coalesce(max(id), 0) FROM plans
