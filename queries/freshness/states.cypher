// The maintained state of the given subjects (no row for an unknown uid).
UNWIND $uids AS u
MATCH (s:Subject {uid: u})
RETURN s.uid AS uid, s:Agency OR s:Agent AS agency, s.level AS level, s.score AS score,
  s.policy_version AS policy_version, s.as_of AS as_of, s.assessed_at AS assessed_at,
  s.factors AS factors, s.evaluation AS evaluation
