// Objections filed in the period by their status now, and repairs granted in the period.
CALL () {
  MATCH (s:Subject)-[:COMMITTED]->(:Violation)<-[:OBJECTS_TO]-(o:Objection)
  WHERE o.filed_on >= $start AND o.filed_on <= $end AND {{> supervision/_in_scope}}
  RETURN collect(o.status) AS objections
}
CALL () {
  MATCH (s:Subject)-[:COMMITTED]->(v:Violation)
  WHERE v.repaired_on >= $start AND v.repaired_on <= $end AND {{> supervision/_in_scope}}
  RETURN count(DISTINCT v) AS repairs
}
RETURN objections, repairs
