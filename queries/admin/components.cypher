// Name, version and edition of the server's components (Neo4j Kernel first).
CALL dbms.components() YIELD name, versions, edition
RETURN name, versions[0] AS version, edition
