// The latest stored level of each given subject (null when never assessed): a workflow step's "before".
UNWIND $uids AS u
MATCH (s:Subject {uid: u})
RETURN u AS uid, COLLECT {
  MATCH (a:Assessment)-[:OF]->(s)
  RETURN a.level ORDER BY a.as_of DESC, a.created_at DESC LIMIT 1
}[0] AS level
