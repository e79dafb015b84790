// The agencies the given agents work for (AGENT_OF), so brokers are seen with their firms.
// Parameters: $uids (list of agent uids).
UNWIND $uids AS uid
MATCH (a:Agent {uid: uid})-[:AGENT_OF]->(g:Agency)
RETURN a.uid AS agent, g.uid AS agency, g.name AS name
