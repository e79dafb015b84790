// Which of the given uids are natural persons (their names are abbreviated for the public role).
UNWIND $uids AS u
MATCH (s:Subject {uid: u})
WHERE s:Person
RETURN collect(s.uid) AS persons
