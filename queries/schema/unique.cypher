// A uniqueness constraint named $name on one key of one label (migration steps in graph/schema.py).
CREATE CONSTRAINT $name IF NOT EXISTS FOR (n:{{label}}) REQUIRE n.{{key}} IS UNIQUE
