// Delete every node and relationship except the schema-migration record, in batches.
MATCH (n) WHERE NOT n:SchemaMigration
CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
