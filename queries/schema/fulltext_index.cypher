// A full-text index named $name over names of one label, with its analyser ($analyzer: `cjk` indexes
// Chinese as bigrams and Latin as lower-cased words) and whether it is updated eventually consistently.
CREATE FULLTEXT INDEX $name IF NOT EXISTS FOR (n:{{label}}) ON EACH [{{keys}}]
OPTIONS {indexConfig: {`fulltext.analyzer`: $analyzer, `fulltext.eventually_consistent`: $eventually_consistent}}
