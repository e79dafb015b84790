// Stored plans, newest first (in the region, a division-code prefix, when given).
MATCH (plan:InspectionPlan)
WHERE $region IS NULL OR coalesce(plan.region, '') STARTS WITH $region
RETURN properties(plan) AS plan, COUNT { (plan)-[:INCLUDES]->(:Inspection) } AS inspections
ORDER BY plan.created_at DESC
LIMIT $limit
