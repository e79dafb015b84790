"""Every statement (`.cypher` files, folders by domain) and its typed runner, grouped by domain.

`catalogue/` is the query catalogue (the named queries, their runners and statements); `traversal` the
bounded breadth-first traversal they share; `analytics` the networkx groups, cycles and brokers;
`chains` the dishonesty chains.
"""
