// The links of the sub-graph around some seed subjects, for networkx: every link on a path of at
// most $k hops (1..4) from a seed whose types are all in $types (party ties, and the contact links
// when shared contact points join groups), direction ignored. A contact point shared by more than
// $max_sharers subjects (a business centre) is never crossed nor kept. At most $max_edges links.
// Parameters: $seeds (list of subject uids), $k (1..4), $types, $max_sharers, $max_edges.
UNWIND $seeds AS seed
MATCH (s:Subject {uid: seed})
MATCH p = (s)-[rels*1..4]-(o)
WHERE length(p) <= $k
  AND all(r IN rels WHERE type(r) IN $types)
  AND all(n IN nodes(p)[1..] WHERE n:Subject
          OR COUNT { (n)<-[x]-(:Subject) WHERE type(x) IN $types } <= $max_sharers)
UNWIND rels AS r
WITH DISTINCT r
LIMIT $max_edges
WITH r, startNode(r) AS a, endNode(r) AS b
RETURN a.uid AS start, a:Subject AS start_subject, a.name AS start_name,
       b.uid AS end, b:Subject AS end_subject, b.name AS end_name,
       type(r) AS type, r.ratio AS ratio
