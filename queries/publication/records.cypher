// The records whose publication state may move on $on: decided by then and not yet published, or
// published and not yet ended ($uids: only these records; null: all). With what the rules need: the
// types of the decision (the record's and those of its subject's records with the same decision number),
// the workflow outcome, and the publication state so far.
MATCH (s:Subject)-[:COMMITTED]->(v:Violation)
WHERE ($uids IS NULL OR v.uid IN $uids) AND date(v.decided_on) <= $on
  AND (v.published_from IS NULL OR v.publication_ended_on IS NULL)
RETURN v.uid AS uid, s.uid AS subject_uid, v.decided_on AS decided_on, v.status AS status, v.ended_on AS ended_on,
  v.behaviour_code AS behaviour_code,
  [(s)-[:COMMITTED]->(w:Violation) WHERE v.doc_number IS NOT NULL AND w.doc_number = v.doc_number | w.behaviour_code]
    AS sibling_codes,
  EXISTS { (:Objection {outcome: 'upheld'})-[:OBJECTS_TO]->(v) } AS revoked_by_objection,
  v.published_from AS published_from, v.published_until AS published_until,
  v.publication_ended_on AS ended_on_publication, v.publication_end_reason AS end_reason
ORDER BY uid
