// Take the write lock on a commitment before it is verified, and read it: of two concurrent
// verifications the second waits here and then sees the first one's outcome.
MATCH (s:Subject)-[:MADE]->(c:Commitment {uid: $uid})
SET c.workflow_version = coalesce(c.workflow_version, 0) + 1
RETURN c.uid AS uid, s.uid AS subject_uid, c.status AS status
