// Dishonesty chains of one subject as of a date (the chains endpoint and report): the rule is in
// queries/credit/_chains_of.cypher, which the single check's evaluation_facts.cypher shares.
MATCH (s:Subject {uid: $uid})
{{> credit/_chains_of}}
