// A subject's stored assessments, newest first.
MATCH (a:Assessment)-[:OF]->(:Subject {uid: $uid})
RETURN a.uid AS uid, a.level AS level, a.score AS score, a.as_of AS as_of, a.policy_version AS policy_version,
  a.created_at AS created_at, a.evaluated_at AS evaluated_at
ORDER BY a.as_of DESC, a.evaluated_at DESC
LIMIT $limit
