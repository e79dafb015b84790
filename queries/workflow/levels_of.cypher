// The maintained level of each given subject (null when never assessed): a workflow step's "before".
UNWIND $uids AS u
MATCH (s:Subject {uid: u})
RETURN u AS uid, s.level AS level
