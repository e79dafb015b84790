// The records held by the given subjects (any state): chains to them may have been lost.
UNWIND $uids AS u
MATCH (:Subject {uid: u})-[:COMMITTED]->(v:Violation)
RETURN DISTINCT v.uid AS uid
