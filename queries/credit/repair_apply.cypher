// Credit repair: end the record's effect early, audited in the same transaction.
MATCH (v:Violation {uid: $violation_uid})
SET v.status = 'repaired', v.ended_on = $on, v.repaired_on = $on
CREATE (e:AuditEvent {uid: $event_uid, target: v.uid, actor: $actor, action: 'repair_granted', reason: $reason, created_at: $now,
                      as_of: $on, outcome: 'granted', description: $detail})
CREATE (e)-[:ABOUT]->(v)
RETURN v.uid AS violation_uid, e.uid AS event_uid
