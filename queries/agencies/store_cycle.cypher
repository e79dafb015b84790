// Store an agency cycle's result list (JSON, one entry per agency) and publish it, audited.
MATCH (c:AgencyCycle {uid: $uid})
SET c.evaluated_on = $evaluated_on, c.published_on = $evaluated_on, c.policy_version = $version,
    c.results = $results, c.agencies = $agencies, c.actor = $actor
CREATE (e:AuditEvent {uid: $event_uid, target: c.uid, actor: $actor, action: 'agency_cycle_published',
                      created_at: $now, as_of: $evaluated_on, description: $detail})
CREATE (e)-[:ABOUT]->(c)
RETURN c.uid AS uid
