// Resolve an objection: upheld ends the record's effect (revoked), rejected restores it; the
// suspension lifts once no other objection on the record is pending. Audited in the same transaction.
MATCH (ob:Objection {uid: $objection_uid, status: 'pending'})-[:OBJECTS_TO]->(v:Violation)
SET ob.status = $outcome, ob.outcome = $outcome, ob.resolved_on = $on
WITH ob, v
SET v.status = CASE WHEN $outcome = 'upheld' THEN 'revoked' ELSE v.status END,
    v.ended_on = CASE WHEN $outcome = 'upheld' THEN $on ELSE v.ended_on END
WITH ob, v, COUNT { (:Objection {status: 'pending'})-[:OBJECTS_TO]->(v) } AS still_pending
SET v.suspended_since = CASE WHEN still_pending = 0 THEN null ELSE v.suspended_since END
CREATE (e:AuditEvent {uid: $event_uid, actor: $actor, action: 'objection_' + $outcome, reason: $reason,
                      created_at: $now, as_of: $on, outcome: $outcome, description: $detail})
CREATE (e)-[:ABOUT]->(v), (e)-[:ABOUT]->(ob)
RETURN ob.uid AS objection_uid, v.uid AS violation_uid, e.uid AS event_uid
