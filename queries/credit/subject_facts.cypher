// The facts about one subject that a check and a report show.
MATCH (s:Subject {uid: $uid})
RETURN s.uid AS uid, s.name AS name, labels(s) AS labels, s:Agency OR s:Agent AS agency,
  s.credit_code AS credit_code, s.country AS country, s.status AS status, s.registered_on AS registered_on,
  s.source AS source, s.source_ref AS source_ref,
  COUNT { (s)-[:APPLICANT_OF]->() } AS rights_applied,
  COUNT { (s)-[:REPRESENTS]->() } AS rights_represented
