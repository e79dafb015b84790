// How many nodes carry one label (store growth in bench/freshness.py).
MATCH (n:{{label}})
RETURN count(n) AS n
