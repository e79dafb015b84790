// A random sample of subject uids, for benchmarks.
MATCH (s:Subject)
WITH s.uid AS uid, rand() AS r
ORDER BY r
LIMIT $limit
RETURN uid
