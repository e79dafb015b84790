// Store evaluations as :Assessment nodes. The uid is derived from subject, date, policy version and
// content, so re-running with the same data and policy finds the same node instead of adding one.
UNWIND $rows AS row
MATCH (s:Subject {uid: row.subject_uid})
MERGE (a:Assessment {uid: row.uid})
  ON CREATE SET a.level = row.level, a.score = row.score, a.as_of = date(row.as_of),
    a.policy_version = row.policy_version, a.factors = row.factors, a.created_at = $now
SET a.evaluated_at = $now
MERGE (a)-[:OF]->(s)
RETURN count(a) AS written
