// The audit events about a subject's records and their objections, newest first.
MATCH (:Subject {uid: $uid})-[:COMMITTED]->(v:Violation)<-[:ABOUT]-(e:AuditEvent)
RETURN e.uid AS uid, e.actor AS actor, e.action AS action, e.reason AS reason, e.outcome AS outcome,
  e.created_at AS created_at, e.as_of AS on, e.description AS detail, v.uid AS violation_uid
ORDER BY e.created_at DESC
