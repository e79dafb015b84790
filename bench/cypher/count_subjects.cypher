// How many subjects and links the graph holds, for benchmark headers.
MATCH (s:Subject)
WITH count(s) AS subjects
CALL {
  MATCH ()-[r]->()
  RETURN count(r) AS links
}
RETURN subjects, links
