// Which of the given uids are natural persons (their names are abbreviated for the public role), and which
// are contact points a natural person uses or is located at (their values are hidden from it).
CALL {
  UNWIND $uids AS u
  MATCH (s:Subject {uid: u})
  WHERE s:Person
  RETURN collect(s.uid) AS persons
}
CALL {
  UNWIND $uids AS u
  MATCH (c {uid: u})<-[:{{contact_links}}]-(:Person)
  WHERE c:Address OR c:Phone OR c:Email
  RETURN collect(DISTINCT c.uid) AS private
}
RETURN persons, private
