// Every subject's maintained level, score and factors (what `classify --verify` compares).
MATCH (s:Subject)
RETURN s.uid AS uid, s.level AS level, s.score AS score, s.factors AS factors
