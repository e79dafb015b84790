// Up to $n agency and agent uids (by uid) for benchmarks. Parameters: $n.
MATCH (s:Subject)
WHERE s:Agency OR s:Agent
RETURN s.uid AS uid
ORDER BY uid
LIMIT $n
