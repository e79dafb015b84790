// Merge subject $gone into subject $keep, keeping every tie and record of both: each relationship of
// the merged-away node (any type, either direction: ties, contact points, IP rights, records,
// assessments, audit links) is re-created on the survivor with its properties and `merged_from`, then
// removed; ties between the two become the survivor's own. The survivor keeps its properties, fills
// its gaps from the other's, gains its labels, its name (as an alias) and aliases, and lists its uid in
// `merged_uids`. The POSSIBLE_SAME_AS links between the two are settled by the merge (their reasons go
// into the audit event with the merged-away node's properties as given). Plain DELETE: a relationship
// left behind fails the transaction instead of being lost.
MATCH (keep:Subject {uid: $keep}), (gone:Subject {uid: $gone})
WHERE keep <> gone
CALL (keep, gone) {
  MATCH (keep)-[same:POSSIBLE_SAME_AS]-(gone)
  DELETE same
  RETURN count(*) AS settled
}
WITH keep, gone, properties(keep) AS own, properties(gone) AS theirs, labels(gone) AS their_labels
CALL (keep, gone) {
  MATCH (gone)-[r]->(o)
  WITH r, CASE WHEN o = gone THEN keep ELSE o END AS o
  CREATE (keep)-[m:$(type(r))]->(o)
  SET m = properties(r), m.merged_from = gone.uid
  DELETE r
  RETURN count(*) AS moved_out
}
CALL (keep, gone) {
  MATCH (o)-[r]->(gone)
  CREATE (o)-[m:$(type(r))]->(keep)
  SET m = properties(r), m.merged_from = gone.uid
  DELETE r
  RETURN count(*) AS moved_in
}
FOREACH (k IN [k IN keys(theirs) WHERE own[k] IS NULL] | SET keep[k] = theirs[k])
SET keep:$(their_labels)
SET keep.aliases = reduce(acc = [], x IN coalesce(own.aliases, []) + [theirs.name] + coalesce(theirs.aliases, []) |
                          CASE WHEN x IS NULL OR x = own.name OR x IN acc THEN acc ELSE acc + x END),
    keep.merged_uids = coalesce(own.merged_uids, []) + [gone.uid] + coalesce(theirs.merged_uids, [])
DELETE gone
CREATE (e:AuditEvent {uid: $event_uid, actor: $actor, action: 'duplicate_merged', reason: $reason,
                      created_at: $now, target: $gone, detail: $detail})
CREATE (e)-[:ABOUT]->(keep)
RETURN e.uid AS event_uid, moved_out + moved_in AS moved
