// Take the write lock on a record (found by its uid or by an objection to it) before a workflow step
// reads its state: a concurrent step on the same record waits here until the other one has committed,
// so the state read next is the latest. The counter is the record's workflow version.
OPTIONAL MATCH (:Objection {uid: $objection_uid})-[:OBJECTS_TO]->(a:Violation)
OPTIONAL MATCH (b:Violation {uid: $violation_uid})
WITH coalesce(a, b) AS v
WHERE v IS NOT NULL
MATCH (s:Subject)-[:COMMITTED]->(v)
SET v.workflow_version = coalesce(v.workflow_version, 0) + 1
RETURN v.uid AS violation_uid, s.uid AS subject_uid
