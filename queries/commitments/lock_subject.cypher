// Take the write lock on a subject before its commitment route is decided (a concurrent commitment or
// step on the same subject waits here), and read what decides it: the maintained level and the
// serious records in force on $as_of ($serious_codes; $months, $default_months as for every record).
MATCH (s:Subject {uid: $uid})
SET s.commitment_version = coalesce(s.commitment_version, 0) + 1
WITH s
OPTIONAL MATCH (s)-[:COMMITTED]->(v:Violation)
WHERE v.behaviour_code IN $serious_codes AND {{> credit/_record_in_force}}
WITH s, v ORDER BY v.uid
RETURN s.uid AS uid, s.level AS level, collect(v.uid) AS serious
