// Every stored assessment of one subject, newest first; no row at all when the subject is unknown.
MATCH (s:Subject {uid: $uid})
OPTIONAL MATCH (a:Assessment)-[:OF]->(s)
WITH s, a ORDER BY a.as_of DESC, a.created_at DESC
RETURN s.uid AS uid, collect(a {.*}) AS assessments
