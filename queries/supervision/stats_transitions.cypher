// Level transitions over a period: each subject's level as of $start and as of $end (from the
// assessment history), counted by the pair when they differ (null: not yet assessed).
MATCH (s:Subject)
WHERE {{> supervision/_in_scope}}
WITH s,
  COLLECT { MATCH (a:Assessment)-[:OF]->(s) WHERE a.as_of <= $start
            RETURN a.level ORDER BY a.as_of DESC, a.created_at DESC LIMIT 1 }[0] AS before,
  COLLECT { MATCH (a:Assessment)-[:OF]->(s) WHERE a.as_of <= $end
            RETURN a.level ORDER BY a.as_of DESC, a.created_at DESC LIMIT 1 }[0] AS after
WHERE after IS NOT NULL AND (before IS NULL OR before <> after)
RETURN before, after, count(*) AS subjects
ORDER BY before, after
