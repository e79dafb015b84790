// The facts a check and a report show about the subject `s` in scope, as one map.
s {.uid, .name, labels: labels(s), agency: s:Agency OR s:Agent, .credit_code, .country, .status, .registered_on,
   .source, .source_ref,
   rights_applied: COUNT { (s)-[:APPLICANT_OF]->() }, rights_represented: COUNT { (s)-[:REPRESENTS]->() }}
