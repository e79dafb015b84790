// The records an agency cycle makes from its indicators, with the cycle as evidence: one per cycle,
// agency and behaviour, so running the cycle again changes nothing. Each row: uid, agency,
// behaviour_code, description; $cycle_uid, $decided_on, $authority.
UNWIND $rows AS row
MATCH (a:Agency {uid: row.agency})
MATCH (cycle:AgencyCycle {uid: $cycle_uid})
OPTIONAL MATCH (old:Violation {uid: row.uid})
WITH a, cycle, row, old IS NULL AS created
MERGE (v:Violation {uid: row.uid})
  ON CREATE SET v.behaviour_code = row.behaviour_code, v.decided_on = $decided_on, v.authority = $authority,
    v.doc_number = $cycle_uid, v.status = 'in_force', v.description = row.description,
    v.source = 'agency-cycle', v.source_ref = $cycle_uid
MERGE (a)-[:COMMITTED]->(v)
MERGE (v)-[:EVIDENCED_BY]->(cycle)
RETURN sum(CASE WHEN created THEN 1 ELSE 0 END) AS created
