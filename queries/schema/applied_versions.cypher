// Schema migration versions already applied to this graph.
MATCH (m:SchemaMigration)
RETURN m.version AS version, m.description AS description, toString(m.applied_at) AS applied_at
ORDER BY version
