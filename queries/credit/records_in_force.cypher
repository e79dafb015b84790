// Every record in force on $as_of with the subject that committed it (batch classification).
MATCH (s:Subject)-[:COMMITTED]->(v:Violation)
WHERE date(v.decided_on) <= $as_of
  AND coalesce(date(v.expires_on),
               date(v.decided_on) + duration({months: coalesce($months[v.behaviour_code], $default_months)})) > $as_of
  AND (coalesce(v.status, 'in_force') = 'in_force' OR (v.ended_on IS NOT NULL AND date(v.ended_on) > $as_of))
  AND (v.suspended_since IS NULL OR date(v.suspended_since) > $as_of)
RETURN s.uid AS subject_uid, s:Agency OR s:Agent AS agency,
  v {.uid, .behaviour_code, .decided_on, .expires_on, .status, .authority, .doc_number, .description,
     .penalty_done_on, .ended_on, .suspended_since, .repaired_on} AS violation,
  coalesce(date(v.expires_on),
           date(v.decided_on) + duration({months: coalesce($months[v.behaviour_code], $default_months)}))
    AS in_force_until
