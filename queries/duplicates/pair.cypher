// Two subjects and the POSSIBLE_SAME_AS links between them (either direction), for a decision.
MATCH (a:Subject {uid: $left}), (b:Subject {uid: $right})
RETURN a {.*, labels: labels(a)} AS left, b {.*, labels: labels(b)} AS right,
       [(a)-[r:POSSIBLE_SAME_AS]-(b) | r {.reason, .score, .decision}] AS links
