// The latest audit events, newest first; with a target, only those about it (by target or ABOUT link).
MATCH (e:AuditEvent)
WHERE $target IS NULL OR e.target = $target OR EXISTS { MATCH (e)-[:ABOUT]->(x) WHERE x.uid = $target }
RETURN e {.*} AS event
ORDER BY e.created_at DESC
LIMIT $limit
