// The weighting tail the two dishonesty-chains statements share (queries/credit/dishonesty_chains*.cypher):
// from the marked steps (`after`: the tie formed after the record's decision) to each step's weight and
// the chain's strength, chains weaker than $min_strength dropped. Expects s, o, ns, v, the weights map
// w (tie type -> weight) and marked in scope; leaves s, o, ns, v, weighted and strength.
//   step weight = tie weight (x ratio for a shareholding, x 1 above $control_ratio; suspected:
//   $suspected_weight, scaled by $full_up_to / sharers when more share the point) x $after_factor
//   when the tie was formed after the record's decision; strength = product x $decay^(hops - 1), at most 1.
WITH s, o, ns, v,
  [st IN marked | st {.*, weight:
      CASE WHEN st.via IS NOT NULL
           THEN $suspected_weight * CASE WHEN st.sharers <= $full_up_to THEN 1.0 ELSE toFloat($full_up_to) / st.sharers END
           ELSE w[st.type] * CASE WHEN st.type <> 'SHAREHOLDER_OF' THEN 1.0
                                 WHEN coalesce(st.ratio, $missing_ratio) > $control_ratio THEN 1.0
                                 ELSE coalesce(st.ratio, $missing_ratio) END
      END * CASE WHEN st.after THEN $after_factor ELSE 1.0 END}] AS weighted
WITH s, o, ns, v, weighted,
  reduce(x = 1.0, st IN weighted | x * st.weight) * $decay ^ (size(weighted) - 1) AS raw
WITH s, o, ns, v, weighted, CASE WHEN raw > 1.0 THEN 1.0 ELSE raw END AS strength
WHERE strength >= $min_strength
