// The policy version the whole graph was last classified under (null before the first classification).
OPTIONAL MATCH (q:Sequence {name: 'changes'})
RETURN q.policy_version AS version
