// Agencies and agents that handled filings (REPRESENTS) of subjects holding a violation in force on
// $as_of (at most $max_flagged such subjects, by uid): one row per broker and flagged client, with
// the number of flagged subjects looked at. In force: decided by then, not expired, status
// in_force (or ended only later), not suspended.
// Parameters: $as_of (date), $max_flagged.
MATCH (s:Subject)-[:COMMITTED]->(v:Violation)
WHERE date(v.decided_on) <= $as_of AND (v.expires_on IS NULL OR date(v.expires_on) > $as_of)
  AND (coalesce(v.status, 'in_force') = 'in_force' OR (v.ended_on IS NOT NULL AND date(v.ended_on) > $as_of))
  AND (v.suspended_since IS NULL OR date(v.suspended_since) > $as_of)
WITH DISTINCT s
ORDER BY s.uid
LIMIT $max_flagged
WITH collect(s) AS flagged
UNWIND flagged AS s
MATCH (s)-[:APPLICANT_OF]->(f)<-[:REPRESENTS]-(b:Subject)
WHERE b:Agency OR b:Agent
RETURN b.uid AS broker, b.name AS name, CASE WHEN b:Agency THEN 'agency' ELSE 'agent' END AS kind,
       s.uid AS client, count(DISTINCT f) AS filings, size(flagged) AS flagged_total
