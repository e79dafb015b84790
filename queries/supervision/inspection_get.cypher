// One inspection with its subject's region (for scoped callers) and whether a result is recorded.
MATCH (i:Inspection {uid: $uid})-[:INSPECTS]->(s:Subject)
RETURN i.uid AS uid, s.uid AS subject_uid, s.region_code AS region_code, i.status AS status
