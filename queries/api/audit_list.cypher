// The latest audit events, newest first, optionally only those about one target.
MATCH (e:AuditEvent)
WHERE $target IS NULL OR e.target = $target
RETURN e {.*} AS event
ORDER BY e.created_at DESC
LIMIT $limit
