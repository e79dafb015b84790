// Whether subject `s` is in the statistics' region (a division-code prefix; null: all) and kinds (null: all).
($region IS NULL OR coalesce(s.region_code, '') STARTS WITH $region) AND ($kind IS NULL OR {{> supervision/_kind}} = $kind)
