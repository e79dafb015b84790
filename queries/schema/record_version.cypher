// Record that a schema migration was applied; keeps the first application time.
MERGE (m:SchemaMigration {version: $version})
ON CREATE SET m.description = $description, m.applied_at = datetime()
RETURN m.version AS version
