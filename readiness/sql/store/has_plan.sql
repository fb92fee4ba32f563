-- Whether a plan is in force.
SELECT EXISTS (SELECT 1 FROM plans WHERE status = 'accepted')
