// Every subject's uid (for sampling in benchmarks).
MATCH (s:Subject)
RETURN s.uid AS uid
