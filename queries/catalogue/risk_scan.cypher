// Risk scan of subjects, one row each, as of $as_of:
//   own         violations in force committed by the subject;
//   suspended   its violations that would be in force but are suspended by a pending objection;
//   (surrounding risk, violations in force of the parties within k hops, is counted by
//   violations_in_force_of.cypher over a breadth-first traversal: see queries/catalogue.py)
//   historical  the subject's violations decided by $as_of and no longer in force (expired,
//               repaired, revoked, or past their expiry date);
//   warnings    pending objections against the subject's violations, other subjects sharing one
//               of its contact points (points with more than $max_sharers sharers are not
//               followed, only counted as crowded).
// In force on $as_of: decided by then, not expired (expires_on), status in_force (or ended only
// after $as_of) and not suspended (suspended_since) by then; the credit model also applies the
// catalogue's default duration when expires_on is missing.
// Parameters: $uids (list), $as_of (date), $contact_types, $max_sharers.
UNWIND $uids AS uid
OPTIONAL MATCH (s:Subject {uid: uid})
CALL {
  WITH s
  OPTIONAL MATCH (s)-[:COMMITTED]->(v:Violation)
  WHERE date(v.decided_on) <= $as_of
  WITH v,
       v.suspended_since IS NOT NULL AND date(v.suspended_since) <= $as_of AS suspended,
       (v.expires_on IS NULL OR date(v.expires_on) > $as_of)
       AND (coalesce(v.status, 'in_force') = 'in_force' OR (v.ended_on IS NOT NULL AND date(v.ended_on) > $as_of))
         AS live
  RETURN count(CASE WHEN live AND NOT suspended THEN v END) AS own,
         count(CASE WHEN live AND suspended THEN v END) AS suspended,
         count(CASE WHEN NOT live THEN v END) AS historical
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
       suspended,
       historical,
       pending_objections,
       shared_contact_subjects,
       crowded_contacts
