// The records the subject `s` in scope committed, one `record` map per row, newest decision first:
// each with whether it counts on $as_of and, if not, why not, and the objections pending against it.
MATCH (s)-[:COMMITTED]->(v:Violation)
WITH v, {{> credit/_record_ends}} AS ends
OPTIONAL MATCH (ob:Objection {status: 'pending'})-[:OBJECTS_TO]->(v)
WITH v, ends, collect(ob.uid) AS pending
RETURN {violation: v {.uid, .behaviour_code, .decided_on, .expires_on, .status, .authority, .doc_number, .description,
                      .penalty_done_on, .ended_on, .suspended_since, .repaired_on},
        in_force_until: ends, pending_objections: pending, not_counted: {{> credit/_not_counted}}} AS record
ORDER BY record.violation.decided_on DESC, record.violation.uid
