// How many subjects hold a record (in any state): the starts of the batch classification's outward
// chains, weighed against re-grading subjects one by one.
MATCH (o:Subject)-[:COMMITTED]->(:Violation)
RETURN count(DISTINCT o) AS offenders
