// How many subjects the graph holds.
MATCH (s:Subject)
RETURN count(s) AS subjects
