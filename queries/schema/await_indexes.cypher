// Wait (up to $seconds) until every index is online, so a load right after init uses them.
CALL db.awaitIndexes($seconds)
