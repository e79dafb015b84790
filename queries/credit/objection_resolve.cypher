// Resolve an objection: upheld ends the record's effect (revoked) when it is still in force, rejected
// restores it; the suspension lifts once no other objection on the record is pending. Audited (target
// and detail) in the same transaction; run after `workflow/lock_record`, so the status read is current.
MATCH (ob:Objection {uid: $objection_uid, status: 'pending'})-[:OBJECTS_TO]->(v:Violation)
SET ob.status = $outcome, ob.outcome = $outcome, ob.resolved_on = $on
WITH ob, v
WITH ob, v, $outcome = 'upheld' AND coalesce(v.status, 'in_force') = 'in_force' AS revokes
SET v.status = CASE WHEN revokes THEN 'revoked' ELSE v.status END,
    v.ended_on = CASE WHEN revokes THEN $on ELSE v.ended_on END
WITH ob, v, COUNT { (:Objection {status: 'pending'})-[:OBJECTS_TO]->(v) } AS still_pending
SET v.suspended_since = CASE WHEN still_pending = 0 THEN null ELSE v.suspended_since END
CREATE (e:AuditEvent {uid: $event_uid, target: v.uid, actor: $actor, action: 'objection_' + $outcome, reason: $reason,
                      created_at: $now, as_of: $on, outcome: $outcome, description: $detail})
CREATE (e)-[:ABOUT]->(v), (e)-[:ABOUT]->(ob)
RETURN ob.uid AS objection_uid, v.uid AS violation_uid, e.uid AS event_uid
