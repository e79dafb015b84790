// One objection with the record it objects to.
MATCH (ob:Objection {uid: $objection_uid})-[:OBJECTS_TO]->(v:Violation)<-[:COMMITTED]-(s:Subject)
RETURN ob {.uid, .status, .filed_on, .actor, .reason, .resolved_on, .outcome} AS objection,
  v.uid AS violation_uid, s.uid AS subject_uid
