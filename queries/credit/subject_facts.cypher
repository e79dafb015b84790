// The facts about one subject that a check and a report show.
MATCH (s:Subject {uid: $uid})
RETURN {{> credit/_subject_facts}} AS facts
