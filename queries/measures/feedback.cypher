// Record a department's execution feedback on an applied measure, audited in the same transaction.
MATCH (m:AppliedMeasure {uid: $uid})
CREATE (f:MeasureFeedback {uid: $feedback_uid, on: $on, department: m.department, text: $text, actor: $actor,
                           created_at: $now})-[:ABOUT]->(m)
CREATE (e:AuditEvent {uid: $event_uid, target: m.uid, actor: $actor, action: 'measure_feedback', created_at: $now,
                      as_of: $on, description: $text})
CREATE (e)-[:ABOUT]->(m), (e)-[:ABOUT]->(f)
RETURN f.uid AS feedback_uid, e.uid AS event_uid
