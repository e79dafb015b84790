// Candidates for the demo's "open first" links, with their latest level and how tied they are.
UNWIND $uids AS u
MATCH (s:Subject {uid: u})
RETURN s.uid AS uid, s.name AS name, labels(s) AS labels,
       COUNT { (s)-[:{{party_ties}}]-(:Subject) } AS ties,
       COUNT { (s)-[:COMMITTED]->(:Violation) } AS records,
       COLLECT {
         MATCH (a:Assessment)-[:OF]->(s)
         RETURN a.level ORDER BY a.as_of DESC, a.created_at DESC LIMIT 1
       }[0] AS level
