"""The query catalogue: one parameterised `.cypher` file per statement, and thin typed runners."""
