// Everything a check grades, for each of $uids, in one statement (one snapshot, one round trip): the
// subject's facts (null for an unknown uid), its own records and its dishonesty chains; with
// $with_state, also its maintained state, which a live check is compared with.
UNWIND $uids AS uid
OPTIONAL MATCH (s:Subject {uid: uid})
RETURN uid,
  CASE WHEN s IS NOT NULL THEN {{> credit/_subject_facts}} END AS facts,
  COLLECT {
    {{> credit/_own_records}}
  } AS records,
  COLLECT {
    {{> credit/_chains_of}}
  } AS chains,
  CASE WHEN s IS NOT NULL AND $with_state THEN {{> freshness/_state}} END AS state
