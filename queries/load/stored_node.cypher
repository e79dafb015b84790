// The stored properties of one node, by its key label and uid: the record a conflicting repeat in the
// same input is rejected against (loaders.pipeline). Parameters: $uid.
MATCH (n:{{label}} {uid: $uid})
RETURN properties(n) AS props
