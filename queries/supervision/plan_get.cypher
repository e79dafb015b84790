// A stored plan and its inspections (subject, level and region when drawn, inspectors, result).
MATCH (plan:InspectionPlan {uid: $uid})
RETURN properties(plan) AS plan,
       COLLECT {
         MATCH (plan)-[:INCLUDES]->(i:Inspection)-[:INSPECTS]->(s:Subject)
         RETURN i {.*, name: s.name, credit_code: s.credit_code,
                   violation_uids: [(i)-[:FOUND]->(v:Violation) | v.uid]} AS inspection
         ORDER BY i.level, i.region_code, i.subject_uid
       } AS inspections
