// Decide a pair distinct: every POSSIBLE_SAME_AS link between them keeps the decision (so the queue
// and a reload never propose the pair again), audited in the same transaction about both subjects.
MATCH (a:Subject {uid: $left})-[r:POSSIBLE_SAME_AS]-(b:Subject {uid: $right})
WHERE r.decision IS NULL
WITH a, b, collect(r) AS links
FOREACH (x IN links | SET x.decision = 'distinct', x.decided_at = $now, x.decided_by = $actor)
CREATE (e:AuditEvent {uid: $event_uid, actor: $actor, action: 'duplicate_distinct', reason: $reason,
                      created_at: $now, target: a.uid, detail: $detail})
CREATE (e)-[:ABOUT]->(a), (e)-[:ABOUT]->(b)
RETURN e.uid AS event_uid, size(links) AS links
