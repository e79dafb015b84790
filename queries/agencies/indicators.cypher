// The agency cycle's indicators for every agency, as of $as_of: the filings it represented filed by
// $until (or undated), how many of them are tied to a record in force (a record concerns the filing,
// or an applicant of it holds one), its agents, and the records in force held by its agents and its
// controllers (control ties). In force: the shared rule ($as_of, $months, $default_months).
MATCH (a:Agency)
OPTIONAL MATCH (a)-[:REPRESENTS]->(f)
WHERE f.filed_on IS NULL OR date(f.filed_on) <= $until
WITH a, collect(DISTINCT f) AS filings
WITH a, filings,
  size([f IN filings WHERE
    EXISTS { MATCH (v:Violation)-[:CONCERNS]->(f) WHERE {{> credit/_record_in_force}} }
    OR EXISTS { MATCH (f)<-[:APPLICANT_OF]-(:Subject)-[:COMMITTED]->(v:Violation) WHERE {{> credit/_record_in_force}} }
  ]) AS flagged
OPTIONAL MATCH (ag:Agent)-[:AGENT_OF]->(a)
WITH a, filings, flagged, collect(DISTINCT ag) AS agents
OPTIONAL MATCH (c:Subject)-[:{{control_ties}}]->(a)
WITH a, filings, flagged, agents, collect(DISTINCT c) AS controllers
CALL (agents, controllers) {
  UNWIND agents + controllers AS p
  MATCH (p)-[:COMMITTED]->(v:Violation)
  WHERE {{> credit/_record_in_force}}
  RETURN count(DISTINCT v) AS people_records
}
RETURN a.uid AS uid, a.name AS name, a.credit_code AS credit_code, size(filings) AS filings, flagged,
  size(agents) AS agents, people_records
ORDER BY a.uid
