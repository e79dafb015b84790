// Record an inspection's result: clean, or findings, each a new record (violation) of the subject with
// the document number, found by the inspection; audited in the same transaction. Only a planned
// inspection takes a result (null otherwise: the caller reports the conflict).
MATCH (i:Inspection {uid: $uid})-[:INSPECTS]->(s:Subject)
WHERE i.status = 'planned'
SET i.status = 'done', i.outcome = $outcome, i.doc_number = $doc_number, i.recorded_on = $on,
    i.findings = [f IN $findings | f.behaviour_code], i.recorded_by = $actor
CREATE (e:AuditEvent {uid: $event_uid, target: i.uid, actor: $actor, action: 'inspection_recorded',
                      created_at: $now, as_of: $on, outcome: $outcome, description: $detail})
CREATE (e)-[:ABOUT]->(i)
WITH i, s, e
CALL (i, s, e) {
  UNWIND $findings AS f
  CREATE (v:Violation {uid: f.uid})
  SET v.behaviour_code = f.behaviour_code, v.decided_on = $on, v.doc_number = $doc_number,
      v.authority = $authority, v.status = 'in_force', v.source = 'inspection', v.source_ref = i.uid,
      v.loaded_at = $now
  CREATE (s)-[:COMMITTED {source: 'inspection', source_ref: i.uid, loaded_at: $now}]->(v)
  CREATE (i)-[:FOUND]->(v), (e)-[:ABOUT]->(v)
  RETURN collect(v.uid) AS violation_uids
}
RETURN s.uid AS subject_uid, violation_uids
