// Store rewritten assessment factors (the uids they mention renamed; nothing else changes).
UNWIND $rows AS row
MATCH (a:Assessment) WHERE elementId(a) = row.id
SET a.factors = row.factors
RETURN count(a) AS updated
