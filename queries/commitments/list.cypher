// Commitments, newest first: of one subject ($subject; null: all), of one status ($status; null: all),
// a page ($offset, $limit) and the total.
MATCH (s:Subject)-[:MADE]->(c:Commitment)
WHERE ($subject IS NULL OR s.uid = $subject) AND ($status IS NULL OR c.status = $status)
WITH c ORDER BY c.made_on DESC, c.uid
WITH collect(c) AS found
RETURN size(found) AS total,
  [c IN found[$offset..$offset + $limit] | c {.uid, .subject_uid, .matter, .text, .made_on, .due_by, .office,
    .status, .verified_on, .record_uid}] AS items
