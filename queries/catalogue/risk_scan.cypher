// Risk scan of subjects, one row each, as of $as_of:
//   own         violations in force committed by the subject;
//   surrounding distinct violations in force committed by other subjects within $k hops (1..6)
//               over registry-backed party ties (direction ignored);
//   historical  the subject's violations decided by $as_of and no longer in force (expired,
//               repaired, revoked, or past their expiry date);
//   warnings    pending objections against the subject's violations, other subjects sharing one
//               of its contact points (points with more than $max_sharers sharers are not
//               followed, only counted as crowded).
// In force: status 'in_force', decided on or before $as_of, and not expired by then.
// Parameters: $uids (list), $as_of (date), $k (1..6), $party_types, $contact_types, $max_sharers.
UNWIND $uids AS uid
OPTIONAL MATCH (s:Subject {uid: uid})
CALL {
  WITH s
  OPTIONAL MATCH (s)-[:COMMITTED]->(v:Violation)
  WHERE v.decided_on <= $as_of
  WITH v, v.status = 'in_force' AND (v.expires_on IS NULL OR v.expires_on > $as_of) AS live
  RETURN count(CASE WHEN live THEN v END) AS own,
         count(CASE WHEN NOT live THEN v END) AS historical
}
CALL {
  WITH s
  OPTIONAL MATCH (s)-[rels*1..6]-(o:Subject)-[:COMMITTED]->(v:Violation)
  WHERE size(rels) <= $k AND o <> s
    AND all(r IN rels WHERE type(r) IN $party_types)
    AND v.status = 'in_force' AND v.decided_on <= $as_of
    AND (v.expires_on IS NULL OR v.expires_on > $as_of)
  RETURN count(DISTINCT v) AS surrounding, count(DISTINCT o) AS surrounding_subjects
}
CALL {
  WITH s
  OPTIONAL MATCH (:Objection {status: 'pending'})-[:OBJECTS_TO]->(v:Violation)<-[:COMMITTED]-(s)
  RETURN count(DISTINCT v) AS pending_objections
}
CALL {
  WITH s
  OPTIONAL MATCH (s)-[r1]->(c)
  WHERE type(r1) IN $contact_types
    AND COUNT { (c)<-[x]-(:Subject) WHERE type(x) IN $contact_types } > $max_sharers
  RETURN count(DISTINCT c) AS crowded_contacts
}
CALL {
  WITH s
  OPTIONAL MATCH (s)-[r1]->(c)<-[r2]-(o:Subject)
  WHERE type(r1) IN $contact_types AND type(r2) IN $contact_types AND o <> s
    AND COUNT { (c)<-[x]-(:Subject) WHERE type(x) IN $contact_types } <= $max_sharers
  RETURN count(DISTINCT o) AS shared_contact_subjects
}
RETURN uid,
       s IS NOT NULL AS known,
       own,
       surrounding,
       surrounding_subjects,
       historical,
       pending_objections,
       shared_contact_subjects,
       crowded_contacts
