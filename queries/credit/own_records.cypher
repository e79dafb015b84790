// Every record one subject committed, with whether it counts on $as_of and, if not, why not.
MATCH (s:Subject {uid: $uid})-[:COMMITTED]->(v:Violation)
WITH v, {{> credit/_record_ends}} AS ends
OPTIONAL MATCH (ob:Objection {status: 'pending'})-[:OBJECTS_TO]->(v)
WITH v, ends, collect(ob.uid) AS pending
RETURN v {.uid, .behaviour_code, .decided_on, .expires_on, .status, .authority, .doc_number, .description,
          .penalty_done_on, .ended_on, .suspended_since, .repaired_on} AS violation,
  ends AS in_force_until,
  pending AS pending_objections,
  {{> credit/_not_counted}} AS not_counted
ORDER BY v.decided_on DESC, v.uid
