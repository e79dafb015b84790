// Verify a pending commitment: keep the outcome and make its record (a positive record when kept, a
// broken-commitment record when broken or untrue) with the commitment as evidence, audited in the same
// transaction. Nothing when the commitment is no longer pending.
MATCH (s:Subject)-[:MADE]->(c:Commitment {uid: $uid})
WHERE c.status = 'pending'
SET c.status = $outcome, c.verified_on = $on, c.verified_by = $actor, c.record_uid = $violation_uid
CREATE (s)-[:COMMITTED]->(v:Violation {uid: $violation_uid, behaviour_code: $code, decided_on: $on,
                                      authority: c.office, doc_number: $doc_number, status: 'in_force',
                                      description: $detail, source: 'commitment', source_ref: c.uid})
CREATE (v)-[:EVIDENCED_BY]->(c)
CREATE (e:AuditEvent {uid: $event_uid, target: c.uid, actor: $actor, action: 'commitment_' + $outcome,
                      reason: $reason, created_at: $now, as_of: $on, outcome: $outcome, description: $detail})
CREATE (e)-[:ABOUT]->(c), (e)-[:ABOUT]->(v)
RETURN v.uid AS violation_uid, e.uid AS event_uid, s.uid AS subject_uid
