// Record a credit commitment of a subject (pending until verified), audited in the same transaction.
MATCH (s:Subject {uid: $subject_uid})
CREATE (s)-[:MADE]->(c:Commitment {uid: $uid, subject_uid: s.uid, matter: $matter, text: $text,
                                    made_on: $made_on, due_by: $due_by, office: $office,
                                    status: 'pending', actor: $actor, created_at: $now})
CREATE (e:AuditEvent {uid: $event_uid, target: c.uid, actor: $actor, action: 'commitment_recorded',
                      created_at: $now, as_of: $made_on, description: $detail})
CREATE (e)-[:ABOUT]->(c)
RETURN c.uid AS uid, e.uid AS event_uid
