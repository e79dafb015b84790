// The transactional floor (bench/load.py): a bare batched CREATE of links of one kind between nodes
// found by their constrained uid, the rows the graph ends up with, no MERGE, no hash check.
UNWIND $rows AS row
MATCH (a:{{start}} {uid: row.start_uid})
MATCH (b:{{end}} {uid: row.end_uid})
CREATE (a)-[r:{{rel}}]->(b)
SET r = row.props
