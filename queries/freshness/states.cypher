// The maintained state of the given subjects (no row for an unknown uid).
UNWIND $uids AS u
MATCH (s:Subject {uid: u})
RETURN {{> freshness/_state}} AS state
