// Write publication states that moved (rows: uid, published_from, published_until, ended_on,
// end_reason, started, ended), audited by one event ($event_uid: a workflow step's own event, merged, or
// a new one for the daily run) about every record it moved, and entered in the change feed: one
// :Change per subject, cause `publication`, naming the records whose publication started or ended.
UNWIND $rows AS row
MATCH (s:Subject)-[:COMMITTED]->(v:Violation {uid: row.uid})
SET v.published_from = row.published_from, v.published_until = row.published_until,
    v.publication_ended_on = row.ended_on, v.publication_end_reason = row.end_reason
MERGE (e:AuditEvent {uid: $event_uid})
  ON CREATE SET e.actor = $actor, e.action = 'publication_run', e.created_at = $now, e.as_of = $on,
                e.description = $detail
MERGE (e)-[:ABOUT]->(v)
WITH s, e, collect(CASE WHEN row.started THEN v.uid END) AS started, collect(CASE WHEN row.ended THEN v.uid END) AS ended
WITH collect({subject_uid: s.uid, old_level: s.level, new_level: s.level, old_score: s.score, new_score: s.score,
              publication_started: started, publication_ended: ended,
              cause_kind: 'publication', cause_uid: e.uid}) AS events
CALL (events) {
  WITH events WHERE size(events) > 0
  MERGE (q:Sequence {name: 'changes'})
  SET q.value = coalesce(q.value, 0) + size(events)
  WITH q.value - size(events) AS last, events
  UNWIND range(0, size(events) - 1) AS i
  CREATE (c:Change {seq: last + i + 1})
  SET c += events[i], c.at = $now
  RETURN count(c) AS changes
}
RETURN size(events) AS subjects, changes
