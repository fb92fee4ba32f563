-- One line of the audit trail.
INSERT INTO audit VALUES ($happened_at, $actor, $action, $target, $detail)
