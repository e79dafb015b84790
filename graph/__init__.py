"""The graph of record: settings, schema, models, the store and the local Neo4j."""
