// The maintained state of the subject `s` in scope, as one map.
s {.uid, agency: s:Agency OR s:Agent, .level, .score, .policy_version, .as_of, .assessed_at, .factors, .evaluation}
