// Record the policy version a full classification graded every subject under.
MERGE (q:Sequence {name: 'changes'})
SET q.policy_version = $version
