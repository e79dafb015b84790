// How many nodes (the schema-migration records aside) and links the graph holds.
CALL () { MATCH (n) WHERE NOT n:SchemaMigration RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS links }
RETURN nodes, links
