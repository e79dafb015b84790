// The objections filed against a subject's records.
MATCH (:Subject {uid: $uid})-[:COMMITTED]->(v:Violation)<-[:OBJECTS_TO]-(ob:Objection)
RETURN ob.uid AS uid, ob.status AS status, ob.filed_on AS filed_on, ob.resolved_on AS resolved_on,
  ob.actor AS actor, ob.reason AS reason, v.uid AS violation_uid
ORDER BY ob.filed_on DESC
