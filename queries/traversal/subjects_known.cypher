// Which of the given uids name a subject in the graph (with its element id, for traversals), so
// runners can refuse unknown ones clearly. Parameters: $uids (list).
UNWIND $uids AS uid
OPTIONAL MATCH (s:Subject {uid: uid})
RETURN uid, s IS NOT NULL AS known, elementId(s) AS id, s.name AS name
