// The transactional floor (bench/load.py): a bare batched CREATE of nodes of one kind, the rows the
// graph ends up with (uid and properties, provenance included), no MERGE, no hash check.
UNWIND $rows AS row
CREATE (n:{{label}}:{{second}}:{{third}})
SET n = row.props
