// Store a drawn plan with its inspections (each inspecting its subject) and the audit event, in one
// transaction.
CREATE (plan:InspectionPlan {uid: $plan.uid})
SET plan += $plan, plan.created_at = $now
CREATE (e:AuditEvent {uid: $event_uid, target: $plan.uid, actor: $actor, action: 'inspection_plan_drawn',
                      created_at: $now, as_of: $on, description: $detail})
CREATE (e)-[:ABOUT]->(plan)
WITH plan
UNWIND $inspections AS row
MATCH (s:Subject {uid: row.subject_uid})
CREATE (plan)-[:INCLUDES]->(i:Inspection {uid: row.uid})-[:INSPECTS]->(s)
SET i += row, i.plan_uid = plan.uid, i.period_start = plan.period_start, i.status = 'planned'
RETURN count(i) AS inspections
