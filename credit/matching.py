"""Matching by example: score candidate subjects against example parties, explainably.

Integrating systems hold a name and a credit code, not our uid. `match` takes a batch of example
parties, finds candidates in the graph (`queries.matching`) and scores each with `score`, a pure
function of the example, the candidate and the weights in `credit/matching.toml`. Every score comes
with the features behind it and the rules that applied, and a threshold decision:

- the same credit code or ID number decides (score 1);
- a different credit code or ID number on both sides caps the score (`mismatch_cap`);
- a natural person is never matched on a name alone, whatever the threshold: a birth date, phone or
  address must agree too (the known failure of merging different people who share a name);
- `personal=False` (the public role) leaves out every feature about a natural person other than the
  name, so the public never gets a match decision on a person.

Names are compared folded: NFKC, Traditional Chinese to Simplified (OpenCC), company-form words
removed (rigour's org types for Latin scripts, the `forms.zh` list for Chinese), punctuation dropped,
case folded; similarity is rapidfuzz's Indel ratio, order-insensitive, so typos cost a little.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Annotated, Literal

import opencc
from pydantic import BaseModel, ConfigDict, Field, field_validator
from rapidfuzz import fuzz
from rigour.names import remove_org_types

from graph.model import normalize_name
from graph.schema import Label
from graph.store import Store
from queries.matching import CandidateQuery, CandidateRow, candidates
from queries.shapes import Figure, Page

WEIGHTS_FILE = Path(__file__).resolve().parent / "matching.toml"
PERSONAL_FIELDS: tuple[str, ...] = ("id_number", "birth_date", "phone")  # need more than the public role
Kind = Literal["company", "person"]

_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")
_NOT_WORD = re.compile(r"[\W_]+")
_ID_TOKEN = re.compile(r"[0-9A-Z]{5,}")
_LATIN = re.compile(r"^[a-z0-9]+$")


# --- the request ---------------------------------------------------------------------------------


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


class PartyQuery(BaseModel):
    """One example party as an integrating system holds it; blank fields count as absent."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, Field(max_length=500)] | None = None
    credit_code: Annotated[str, Field(max_length=50)] | None = None
    id_number: Annotated[str, Field(max_length=50)] | None = None
    birth_date: date | None = None
    address: Annotated[str, Field(max_length=500)] | None = None
    phone: Annotated[str, Field(max_length=50)] | None = None
    country: Annotated[str, Field(max_length=50)] | None = None
    kind: Kind | None = None

    _blanks = field_validator("*", mode="before")(_blank_to_none)

    def personal_fields(self) -> list[str]:
        """The fields given that describe a natural person beyond the name."""
        return [f for f in PERSONAL_FIELDS if getattr(self, f) is not None]

    def has_key(self) -> bool:
        return any((self.name, self.credit_code, self.id_number))


# --- the weights ---------------------------------------------------------------------------------


class CompanyWeights(BaseModel):
    name: float
    address: float
    phone: float
    country_mismatch: float


class PersonWeights(CompanyWeights):
    birth_date: float
    birth_date_mismatch: float


class Weights(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: str
    threshold: Annotated[float, Field(ge=0, le=1)]
    candidates: Annotated[int, Field(ge=1, le=1000)]
    name_floor: Annotated[float, Field(ge=0, le=1)]
    address_floor: Annotated[float, Field(ge=0, le=1)]
    mismatch_cap: Annotated[float, Field(ge=0, le=1)]
    company: CompanyWeights
    person: PersonWeights
    zh_forms: tuple[str, ...]


@cache
def default_weights() -> Weights:
    with WEIGHTS_FILE.open("rb") as fh:
        data = tomllib.load(fh)
    forms = data.pop("forms")
    longest_first = sorted((unicodedata.normalize("NFKC", w) for w in forms["zh"]), key=len, reverse=True)
    return Weights(**data, zh_forms=tuple(longest_first))


# --- folding and similarity ----------------------------------------------------------------------


def fold(text: str, weights: Weights | None = None) -> str:
    """The comparison form of a name: Simplified, company forms and punctuation removed, case folded.

    A name made only of form words keeps them (`有限公司` stays comparable to itself).
    """
    return _fold(text, (weights or default_weights()).zh_forms)


@lru_cache(maxsize=100_000)  # candidates' names recur across the queries of a batch
def _fold(text: str, zh_forms: tuple[str, ...]) -> str:
    simplified = _T2S.convert(unicodedata.normalize("NFKC", text))
    core = remove_org_types(simplified)
    for form in zh_forms:
        core = core.replace(form, " ")
    folded = normalize_name(_NOT_WORD.sub(" ", core))
    return folded or normalize_name(_NOT_WORD.sub(" ", simplified))


def similarity(a: str, b: str) -> float:
    """0..1: rapidfuzz's Indel ratio, the better of plain and word-order-insensitive."""
    if not a or not b:
        return 0.0
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b)) / 100.0


def fulltext_terms(name: str, weights: Weights | None = None) -> str | None:
    """A Lucene query for the full-text index: folded words in Simplified and Traditional script, Latin
    words of five letters or more made fuzzy (one edit). Folding leaves only letters and digits, so no
    term can carry query syntax."""
    folded = fold(name, weights)
    terms: list[str] = []
    for word in (*folded.split(), *_S2T.convert(folded).split()):
        term = f"{word}~1" if _LATIN.match(word) and len(word) >= 5 else word
        if term not in terms:
            terms.append(term)
    return " ".join(terms) or None


def id_tokens(value: str) -> set[str]:
    """The identifier runs in an ID number as written (`TIN: 1831…` -> {`1831…`}); separated groups
    (`123-456-789`) joined when no run is long enough."""
    text = unicodedata.normalize("NFKC", value).upper()
    runs = {t for t in _ID_TOKEN.findall(text) if any(c.isdigit() for c in t)}
    joined = _NOT_WORD.sub("", text)
    return runs or ({joined} if len(joined) >= 5 else set())


def _digits(value: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", value))


def same_phone(a: str, b: str) -> bool:
    """Equal as digits, or on the last eight digits when both have them (country prefixes vary)."""
    da, db = _digits(a), _digits(b)
    if len(da) >= 8 and len(db) >= 8:
        return da[-8:] == db[-8:]
    return bool(da) and da == db


def credit_code_form(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().upper()


# --- the result ----------------------------------------------------------------------------------


class Feature(BaseModel):
    """One piece of evidence: how similar (0..1) and what it added to (or took from) the score."""

    feature: str
    similarity: Figure
    contribution: Figure
    matched: str | None = None  # the candidate's name or alias that matched best


class Candidate(BaseModel):
    uid: str
    name: str | None
    kind: str
    credit_code: str | None = None
    country: str | None = None
    merged_uids: list[str] = Field(default_factory=list)
    score: Figure
    match: bool
    features: list[Feature]
    rules: list[str]


class QueryResult(BaseModel):
    index: int
    query: PartyQuery
    candidates: list[Candidate]


class MatchResult(Page[QueryResult]):
    """One result per example party, in the order given."""

    threshold: float
    weights_version: str


# --- scoring -------------------------------------------------------------------------------------


def _kind(labels: list[str]) -> str:
    for label, kind in ((Label.AGENCY, "agency"), (Label.AGENT, "agent"), (Label.COMPANY, "company")):
        if label in labels:
            return kind
    return "person" if Label.PERSON in labels else "subject"


def _best_name(query: str, row: CandidateRow, weights: Weights) -> tuple[float, str | None]:
    target = fold(query, weights)
    best, matched = 0.0, None
    for name in (row.name, *row.aliases):
        if name:
            value = similarity(target, fold(name, weights))
            if value > best:
                best, matched = value, name
    return best, matched


def score(
    query: PartyQuery, row: CandidateRow, threshold: float, *, personal: bool, weights: Weights | None = None
) -> Candidate:
    """Score one candidate for one example; pure. `personal=False` uses no personal feature of a person."""
    weights = weights or default_weights()
    person = Label.PERSON in row.labels
    w: CompanyWeights | PersonWeights = weights.person if person else weights.company
    personal_ok = personal or not person
    features: list[Feature] = []
    rules: list[str] = []
    decisive = False
    mismatch = False

    if query.credit_code and row.credit_code:
        same = credit_code_form(query.credit_code) == credit_code_form(row.credit_code)
        features.append(Feature(feature="credit_code", similarity=float(same), contribution=0.0))
        decisive, mismatch = decisive or same, mismatch or not same
    if personal_ok and query.id_number and row.id_number:
        same = bool(id_tokens(query.id_number) & id_tokens(row.id_number))
        features.append(Feature(feature="id_number", similarity=float(same), contribution=0.0))
        decisive, mismatch = decisive or same, mismatch or not same

    total = 0.0
    corroborated = False
    if query.name:
        value, matched = _best_name(query.name, row, weights)
        part = w.name * value if value >= weights.name_floor else 0.0
        features.append(
            Feature(feature="name", similarity=round(value, 4), contribution=round(part, 4), matched=matched)
        )
        total += part
    if personal_ok and isinstance(w, PersonWeights) and query.birth_date and row.birth_date:
        same = query.birth_date == row.birth_date
        part = w.birth_date if same else -w.birth_date_mismatch
        features.append(Feature(feature="birth_date", similarity=float(same), contribution=part))
        total += part
        corroborated = corroborated or same
    if personal_ok and query.address and row.addresses:
        value = max(similarity(normalize_name(query.address), normalize_name(a)) for a in row.addresses)
        part = w.address * value if value >= weights.address_floor else 0.0
        features.append(Feature(feature="address", similarity=round(value, 4), contribution=round(part, 4)))
        total += part
        corroborated = corroborated or part > 0
    if personal_ok and query.phone and row.phones:
        same = any(same_phone(query.phone, p) for p in row.phones)
        part = w.phone if same else 0.0
        features.append(Feature(feature="phone", similarity=float(same), contribution=part))
        total += part
        corroborated = corroborated or same
    if query.country and row.country:
        same = query.country.casefold() == row.country.casefold()
        part = 0.0 if same else -w.country_mismatch
        features.append(Feature(feature="country", similarity=float(same), contribution=part))
        total += part

    result = min(max(total, 0.0), 1.0)
    if decisive:
        result = 1.0
        rules.append("the same credit code or ID number decides")
    elif mismatch:
        result = min(result, weights.mismatch_cap)
        rules.append("a different credit code or ID number caps the score")
    if not personal_ok:
        rules.append("public role: a person is compared on the name only and never matched")
    decided = result >= threshold
    if person and not decisive and not corroborated:
        decided = False
        rules.append("a person is never matched on a name alone")
    return Candidate(
        uid=row.uid,
        name=row.name,
        kind=_kind(row.labels),
        credit_code=row.credit_code,
        country=row.country,
        merged_uids=row.merged_uids,
        score=round(result, 4),
        match=decided and personal_ok,
        features=features,
        rules=rules,
    )


def candidate_query(i: int, query: PartyQuery, *, personal: bool, weights: Weights) -> CandidateQuery:
    """What the candidate statement needs of one example (exact keys normalised, the name as terms)."""
    ids = sorted(id_tokens(query.id_number) | {query.id_number}) if personal and query.id_number else []
    return CandidateQuery(
        i=i,
        text=fulltext_terms(query.name, weights) if query.name else None,
        credit_code=credit_code_form(query.credit_code) if query.credit_code else None,
        id_numbers=ids,
        kind=query.kind,
    )


def match(
    store: Store,
    queries: list[PartyQuery],
    *,
    threshold: float | None = None,
    limit: int = 5,
    personal: bool = True,
    weights: Weights | None = None,
) -> MatchResult:
    """Candidates for every example party, best first, at most `limit` each, with the decision."""
    weights = weights or default_weights()
    cut = weights.threshold if threshold is None else threshold
    rows = candidates(
        store,
        [candidate_query(i, q, personal=personal, weights=weights) for i, q in enumerate(queries)],
        weights.candidates,
    )
    per_query: dict[int, list[Candidate]] = {i: [] for i in range(len(queries))}
    for row in rows:
        per_query[row.i].append(score(queries[row.i], row, cut, personal=personal, weights=weights))
    results = [
        QueryResult(index=i, query=q, candidates=sorted(per_query[i], key=lambda c: (-c.score, c.uid))[:limit])
        for i, q in enumerate(queries)
    ]
    return MatchResult(threshold=cut, weights_version=weights.version, items=results, total=len(results))
