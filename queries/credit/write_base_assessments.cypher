// Set-based: every subject without an assessment from this run ($now) gets the base level, with no
// per-subject graph expansion. Same deterministic uid scheme as write_assessments.
MATCH (s:Subject)
WHERE NOT EXISTS { MATCH (s)<-[:OF]-(x:Assessment) WHERE x.evaluated_at = $now }
CALL {
  WITH s
  MERGE (a:Assessment {uid: 'assessment:' + s.uid + '@' + $as_of_text + '#' + $version + '#base'})
    ON CREATE SET a.level = $level, a.score = $score, a.as_of = $as_of, a.policy_version = $version,
      a.factors = '{}', a.created_at = $now
  SET a.evaluated_at = $now
  MERGE (a)-[:OF]->(s)
} IN TRANSACTIONS OF 10000 ROWS
