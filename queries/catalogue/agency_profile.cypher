// Profile of an agency or an agent: the filings (patents, trademarks) it handled (REPRESENTS);
// how many of them are tied to a violation in force on $as_of (a violation CONCERNS the filing,
// or an applicant of the filing holds one); and the violations in force of its people: for an
// agency its agents (AGENT_OF) and controllers (legal rep, officers, shareholders); for an agent
// itself. In force on $as_of: decided by then, not expired (expires_on), status in_force (or ended
// only after $as_of) and not suspended by a pending objection (suspended_since) by then; the credit
// model also applies the catalogue's default duration when expires_on is missing.
// Parameters: $uid, $as_of (date).
MATCH (a:Subject {uid: $uid})
WHERE a:Agency OR a:Agent
OPTIONAL MATCH (a)-[:REPRESENTS]->(f)
WITH a, collect(DISTINCT f) AS filings
WITH a, filings,
     [f IN filings WHERE
        EXISTS { MATCH (v:Violation)-[:CONCERNS]->(f)
                 WHERE date(v.decided_on) <= $as_of AND (v.expires_on IS NULL OR date(v.expires_on) > $as_of)
                       AND (coalesce(v.status, 'in_force') = 'in_force' OR (v.ended_on IS NOT NULL AND date(v.ended_on) > $as_of))
                       AND (v.suspended_since IS NULL OR date(v.suspended_since) > $as_of) }
        OR EXISTS { MATCH (f)<-[:APPLICANT_OF]-(:Subject)-[:COMMITTED]->(v:Violation)
                    WHERE date(v.decided_on) <= $as_of AND (v.expires_on IS NULL OR date(v.expires_on) > $as_of)
                          AND (coalesce(v.status, 'in_force') = 'in_force' OR (v.ended_on IS NOT NULL AND date(v.ended_on) > $as_of))
                          AND (v.suspended_since IS NULL OR date(v.suspended_since) > $as_of) }] AS flagged
OPTIONAL MATCH (ag:Agent)-[:AGENT_OF]->(a)
WITH a, filings, flagged, collect(DISTINCT ag) AS agents
OPTIONAL MATCH (c:Subject)-[:{{control_ties}}]->(a)
WITH a, filings, flagged, agents, collect(DISTINCT c) AS controllers
WITH a, filings, flagged, agents, controllers,
     [p IN agents + controllers + [a] | {
        uid: p.uid, name: p.name,
        role: CASE WHEN p = a THEN 'self' WHEN p IN agents THEN 'agent' ELSE 'controller' END,
        violations: [(p)-[:COMMITTED]->(v:Violation)
                     WHERE date(v.decided_on) <= $as_of AND (v.expires_on IS NULL OR date(v.expires_on) > $as_of)
                           AND (coalesce(v.status, 'in_force') = 'in_force' OR (v.ended_on IS NOT NULL AND date(v.ended_on) > $as_of))
                           AND (v.suspended_since IS NULL OR date(v.suspended_since) > $as_of) |
                     {uid: v.uid, behaviour_code: v.behaviour_code, decided_on: v.decided_on}]
     }] AS people
RETURN a.uid AS uid,
       a.name AS name,
       CASE WHEN a:Agency THEN 'agency' ELSE 'agent' END AS kind,
       size(filings) AS filings,
       size(flagged) AS flagged_filings,
       CASE WHEN size(filings) = 0 THEN 0.0 ELSE toFloat(size(flagged)) / size(filings) END AS flagged_share,
       size(agents) AS agents,
       size(controllers) AS controllers,
       [p IN people WHERE size(p.violations) > 0] AS people_with_violations
