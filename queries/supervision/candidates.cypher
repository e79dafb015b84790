// The subjects an inspection plan draws from: of the given kinds, in the region (a division-code
// prefix; null: all), with a current level; `cooled` when an inspection of the subject (planned or
// done) has a period starting within the cool-down of this plan's period start.
MATCH (s:Subject)
WHERE s.level IS NOT NULL AND ($region IS NULL OR coalesce(s.region_code, '') STARTS WITH $region)
WITH s, {{> supervision/_kind}} AS kind
WHERE kind IN $kinds
RETURN s.uid AS uid, s.name AS name, s.credit_code AS credit_code, s.level AS level, kind,
       s.region_code AS region_code,
       EXISTS {
         MATCH (i:Inspection)-[:INSPECTS]->(s)
         WHERE i.period_start > $start - duration({months: $cooldown_months})
           AND i.period_start < $start + duration({months: $cooldown_months})
       } AS cooled
ORDER BY uid
