// A reproducible sample of subject uids for benchmarks: every $step-th subject by uid, at most $n.
// Parameters: $n, $step.
MATCH (s:Subject)
WITH s ORDER BY s.uid
WITH collect(s.uid) AS uids
RETURN [i IN range(0, size(uids) - 1, $step) | uids[i]][..$n] AS uids
