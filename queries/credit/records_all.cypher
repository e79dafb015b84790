// Every record with its holder and whether it counts on $as_of and, if not, why not (batch
// classification: a holder is graded with all its records, as a single check lists them).
MATCH (s:Subject)-[:COMMITTED]->(v:Violation)
WITH s, v, {{> credit/_record_ends}} AS ends
OPTIONAL MATCH (ob:Objection {status: 'pending'})-[:OBJECTS_TO]->(v)
WITH s, v, ends, collect(ob.uid) AS pending
RETURN s.uid AS subject_uid, s:Agency OR s:Agent AS agency,
  v {.uid, .behaviour_code, .decided_on, .expires_on, .status, .authority, .doc_number, .description,
     .penalty_done_on, .ended_on, .suspended_since, .repaired_on} AS violation,
  ends AS in_force_until,
  pending AS pending_objections,
  {{> credit/_not_counted}} AS not_counted
