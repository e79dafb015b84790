// Give nodes their opaque uids; ties and records stay attached (they point at the node, not the uid), and
// audit events naming an old uid as their target are updated with it. A new uid already taken is skipped.
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.id AND n.uid = row.old
  AND NOT EXISTS { MATCH (m {uid: row.new}) WHERE (m:Subject OR m:Address OR m:Phone OR m:Email) }
SET n.uid = row.new
WITH row
OPTIONAL MATCH (e:AuditEvent {target: row.old})
SET e.target = row.new
RETURN count(DISTINCT row.id) AS renamed
