// File an objection against a record: it suspends the record's effect while pending (when the policy
// says so), and the step is audited in the same transaction.
MATCH (v:Violation {uid: $violation_uid})
CREATE (ob:Objection {uid: $objection_uid, status: 'pending', filed_on: $on, actor: $actor, reason: $reason,
                      created_at: $now})-[:OBJECTS_TO]->(v)
SET v.suspended_since = CASE WHEN $suspends THEN coalesce(v.suspended_since, $on) ELSE v.suspended_since END
CREATE (e:AuditEvent {uid: $event_uid, target: v.uid, actor: $actor, action: 'objection_filed', reason: $reason, created_at: $now,
                      as_of: $on, description: $detail})
CREATE (e)-[:ABOUT]->(v), (e)-[:ABOUT]->(ob)
RETURN ob.uid AS objection_uid, e.uid AS event_uid
