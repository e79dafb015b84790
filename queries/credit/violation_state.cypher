// One record with what the workflow rules need: its offender, pending objections, later records of
// the same kind by the same subject, and when that subject last had a record repaired.
MATCH (s:Subject)-[:COMMITTED]->(v:Violation {uid: $violation_uid})
OPTIONAL MATCH (ob:Objection {status: 'pending'})-[:OBJECTS_TO]->(v)
WITH s, v, collect(ob.uid) AS pending
RETURN s.uid AS subject_uid,
  v {.uid, .behaviour_code, .decided_on, .expires_on, .status, .penalty_done_on, .ended_on, .suspended_since,
     .repaired_on} AS violation,
  pending AS pending_objections,
  [(s)-[:COMMITTED]->(w:Violation)
     WHERE w <> v AND w.behaviour_code = v.behaviour_code AND date(w.decided_on) > date(v.decided_on)
       AND date(w.decided_on) <= $on | w.uid] AS same_kind_since,
  [(s)-[:COMMITTED]->(w:Violation) WHERE w.repaired_on IS NOT NULL | w.repaired_on] AS repairs
