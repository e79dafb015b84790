// An agency cycle's stored result: by period ($period), or (null period) the latest published by $as_of.
MATCH (c:AgencyCycle)
WHERE c.published_on IS NOT NULL
  AND (($period IS NOT NULL AND c.period = $period) OR ($period IS NULL AND c.published_on <= $as_of))
RETURN c {.uid, .period, .collection_from, .collection_to, .evaluated_on, .published_on, .policy_version,
          .results} AS cycle
ORDER BY c.published_on DESC, c.period DESC
LIMIT 1
