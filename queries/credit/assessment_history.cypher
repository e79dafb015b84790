// A subject's level history (one assessment per change), newest first.
MATCH (a:Assessment)-[:OF]->(:Subject {uid: $uid})
RETURN a.uid AS uid, a.level AS level, a.score AS score, a.as_of AS as_of, a.policy_version AS policy_version,
  a.created_at AS created_at
ORDER BY a.created_at DESC, a.as_of DESC
LIMIT $limit
