// Records of serious behaviours ($codes) whose publication had started by $on, with their holder: the
// spans of the seriously-dishonest list (a subject is on it while a serious record of it is published).
MATCH (s:Subject)-[:COMMITTED]->(v:Violation)
WHERE v.behaviour_code IN $codes AND v.published_from IS NOT NULL AND date(v.published_from) <= $on
RETURN s.uid AS subject_uid, s.name AS name, s.credit_code AS credit_code, v.uid AS uid,
  v.behaviour_code AS behaviour_code, v.doc_number AS doc_number, date(v.published_from) AS start,
  date(coalesce(v.publication_ended_on, v.published_until)) AS end
ORDER BY subject_uid, start, uid
