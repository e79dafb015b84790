// Record a refused workflow step (e.g. a repair the policy does not allow) against the record.
MATCH (v:Violation {uid: $violation_uid})
CREATE (e:AuditEvent {uid: $event_uid, target: v.uid, actor: $actor, action: $action, reason: $reason, created_at: $now,
                      as_of: $on, outcome: 'refused', description: $detail})
CREATE (e)-[:ABOUT]->(v)
RETURN e.uid AS event_uid
