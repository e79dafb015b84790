// Every record in force on $as_of with the subject that committed it (batch classification).
MATCH (s:Subject)-[:COMMITTED]->(v:Violation)
WHERE {{> credit/_record_in_force}}
RETURN s.uid AS subject_uid, s:Agency OR s:Agent AS agency,
  v {.uid, .behaviour_code, .decided_on, .expires_on, .status, .authority, .doc_number, .description,
     .penalty_done_on, .ended_on, .suspended_since, .repaired_on} AS violation,
  {{> credit/_record_ends}} AS in_force_until
