// The stored properties of one link, by its ends, type and link_key (null for an unkeyed kind): the
// record a conflicting repeat in the same input is rejected against (loaders.pipeline).
// Parameters: $start, $end, $key.
MATCH (:{{start}} {uid: $start})-[r:{{rel}}]->(:{{end}} {uid: $end})
WHERE $key IS NULL OR r.link_key = $key
RETURN properties(r) AS props
LIMIT 1
