// Record a refused commitment (the subject may not use the route) against the subject, with every reason.
MATCH (s:Subject {uid: $subject_uid})
CREATE (e:AuditEvent {uid: $event_uid, target: s.uid, actor: $actor, action: 'commitment_refused',
                      created_at: $now, as_of: $made_on, outcome: 'refused', description: $detail})
CREATE (e)-[:ABOUT]->(s)
RETURN e.uid AS event_uid
