"""What a search box's text becomes: full-text terms that find what people type, and which name matched.

Text is folded as matching folds names (`credit.matching.fold`: Traditional to Simplified Chinese by
OpenCC, company-form words such as Inc, Ltd, Co, 有限公司, 股份有限公司 removed, punctuation and case
dropped), then searched in both scripts; the stored names are not touched. The CJK analyser indexes
Chinese as bigrams, so a single character (a one-character name, a surname) also asks for the bigrams
it begins (`张*`). Every term is letters and digits only: no query syntax can come from the text.
"""

from __future__ import annotations

import re

import opencc

from credit.matching import fold, fulltext_terms, similarity

_TRADITIONAL = (opencc.OpenCC("s2t"), opencc.OpenCC("s2tw"))  # OpenCC's standard forms and Taiwan's (為, 爲)
_HAN = re.compile(r"^\w$")
_SEARCH_LIMIT_FACTOR = 3  # full-text candidates read per hit shown, since exact matches come first


def terms(text: str) -> str | None:
    """The Lucene query for `text`: folded words in Simplified and Traditional script (Latin words of
    five letters or more with one edit allowed), a lone Chinese character also as a bigram prefix."""
    query = fulltext_terms(text)
    if query is None:
        return None
    words = fold(text).split()
    variants = [convert.convert(w) for convert in _TRADITIONAL for w in words]
    singles = [
        v for w in words if _HAN.match(w) and not w.isascii() for v in (w, *(c.convert(w) for c in _TRADITIONAL))
    ]
    extra = [v for v in dict.fromkeys(variants) if v not in words and v not in query.split()] + [
        f"{c}*" for c in dict.fromkeys(singles)
    ]
    return " ".join([query, *extra])


def matched_name(text: str, name: str | None, aliases: list[str]) -> tuple[str | None, str | None]:
    """Which of a hit's name and aliases the text matched best (folded, containment first): the string and
    whether it is the `name` or an `alias`."""
    target = fold(text)
    best: tuple[float, str | None, str | None] = (-1.0, None, None)
    for field, value in (("name", name), *(("alias", a) for a in aliases)):
        if not value:
            continue
        folded = fold(value)
        closeness = (1.0 if target and target in folded else 0.0) + similarity(target, folded)
        if closeness > best[0]:
            best = (closeness, value, field)
    return best[1], best[2]


def fulltext_limit(limit: int) -> int:
    return limit * _SEARCH_LIMIT_FACTOR
