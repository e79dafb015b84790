"""Pydantic models of every node and link kind: what a loader must produce before anything is written.

Validation lives here once: unified social credit codes (GB 32100-2015 check character), dates in
the formats registries use, shareholding ratios, trademark classes. Names and text are stored as
given (a regulator's report must quote the source); their normalised forms (full-width/half-width,
spacing, case) are separate properties used only for keys, matching and search.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from graph.identity import opaque_uid
from graph.schema import LINK_KINDS, NODE_KINDS, LinkKind, NodeKind

# --- unified social credit code (统一社会信用代码), GB 32100-2015 ---------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")


def uscc_check_character(first17: str) -> str:
    """The 18th character that GB 32100-2015 computes from the first 17."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    code = unicodedata.normalize("NFKC", value).strip().upper()
    if not _USCC_SHAPE.match(code):
        raise ValueError(f"credit code must be 18 characters from {USCC_ALPHABET!r} (GB 32100-2015), got {value!r}")
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValueError(f"credit code {code} fails its check character: expected {expected}, got {code[17]}")
    return code


CreditCode = Annotated[str, AfterValidator(validate_uscc)]

# --- names ---------------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def normalize_name(value: str) -> str:
    """The comparison form of a name: NFKC (full-width to half-width), spaces folded, case folded."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().casefold()


_LINE_BREAKS = frozenset("\t\n\r")


def _verbatim(value: str, allowed: frozenset[str] = frozenset()) -> str:
    """Text as given, refused when it holds control characters (beyond `allowed`) or only spaces."""
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValueError("text holds control characters")
    if not value.strip():
        raise ValueError("text holds nothing but spaces")
    return value


def _verbatim_text(value: str) -> str:
    return _verbatim(value, _LINE_BREAKS)


# a name is one line; a longer text (a title, a description) may keep the line breaks it was given
Name = Annotated[str, AfterValidator(_verbatim), Field(min_length=1, max_length=500)]
Text = Annotated[str, AfterValidator(_verbatim_text), Field(max_length=5000)]
Uid = Annotated[
    str,
    BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v),  # a key, not a name: spaces around it are noise
    Field(pattern=r"^[a-z][a-z0-9-]*:\S.{0,300}$"),
]

# --- dates ---------------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
_ROC = re.compile(r"^(\d{2,3})[./-](\d{1,2})[./-](\d{1,2})$")  # Republic of China calendar: 111.03.16


def parse_date(value: Any) -> date | None:
    """A date from the forms registries use; ROC-calendar dates (`111.03.16`) are year + 1911."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    if "T" in text:
        text = text.split("T", 1)[0]
    if len(text) == 10 and text[4] == "-":  # the common ISO form, without strptime's cost
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    if m := _ROC.match(text):
        return date(int(m.group(1)) + 1911, int(m.group(2)), int(m.group(3)))
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date (expected YYYY-MM-DD or a registry form): {value!r}")


def _plausible(value: date | None) -> date | None:
    if value is not None and not date(1800, 1, 1) <= value <= date(2200, 12, 31):
        raise ValueError(f"date out of range: {value.isoformat()}")
    return value


Day = Annotated[date | None, BeforeValidator(parse_date), AfterValidator(_plausible)]

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")  # a year (`2005`) or a year and month (`2005-09`)


def _partial_dates(data: Any, fields: tuple[str, ...]) -> Any:
    """Dates given as a year or a year-month (FtM allows both) keep their precision: the field holds
    the period's first day (so date comparisons still work) and `partial_dates` the value as given,
    `since=2005`."""
    if not isinstance(data, dict):
        return data
    given: list[str] = list(data.get("partial_dates") or [])
    out = dict(data)
    for name in fields:
        value = data.get(name)
        text = value.strip() if isinstance(value, str) else ""
        if m := _PARTIAL.match(text):
            out[name] = date(int(m.group(1)), int(m.group(2) or 1), 1)
            given.append(f"{name}={text}")
    if given:
        out["partial_dates"] = sorted(set(given))
    return out


PartialDates = Annotated[list[Annotated[str, Field(max_length=40)]], Field(max_length=4)]

# --- contact points ------------------------------------------------------------------------------


def normalize_phone(value: str) -> str:
    digits = re.sub(r"[^\d+]", "", unicodedata.normalize("NFKC", value))
    if len(re.sub(r"\D", "", digits)) < 5:
        raise ValueError(f"not a phone number: {value!r}")
    return digits


def normalize_email(value: str) -> str:
    text = unicodedata.normalize("NFKC", value).strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise ValueError(f"not an email address: {value!r}")
    return text


def normalize_address(value: str) -> str:
    return normalize_name(value)


# --- models --------------------------------------------------------------------------------------


class Record(BaseModel):
    """Provenance every node and link carries: where it came from, to the line or record id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: Annotated[str, Field(min_length=1, max_length=100)]
    source_ref: Annotated[str, Field(min_length=1, max_length=500)]


class Node(Record):
    kind: ClassVar[NodeKind]
    uid: Uid


class _Subject(Node):
    name: Name
    aliases: list[Name] = Field(default_factory=list, max_length=50)
    partial_dates: PartialDates = Field(default_factory=list)
    # the uid is derived from the name (`uspto-org:<slug>`): other spellings of one key are the same
    # subject, so loaders keep the first name seen and add the others as aliases (never stored itself)
    name_keyed: bool = False
    # named by a record only (an exchange file's holder): written when new, an existing node left as it is
    # (never stored itself)
    if_absent: bool = False

    @model_validator(mode="before")
    @classmethod
    def _dates(cls, data: Any) -> Any:
        return _partial_dates(data, ("registered_on", "birth_date"))

    @property
    def name_norm(self) -> str:
        """The comparison form of `name` (stored beside it, for matching and search only)."""
        return normalize_name(self.name)

    @property
    def aliases_norm(self) -> list[str]:
        return sorted({normalize_name(alias) for alias in self.aliases})


class Company(_Subject):
    kind: ClassVar[NodeKind] = NODE_KINDS["company"]
    credit_code: CreditCode | None = None
    country: Annotated[str, Field(max_length=50)] | None = None
    registered_on: Day = None
    status: Annotated[str, Field(max_length=50)] | None = None


class Person(_Subject):
    kind: ClassVar[NodeKind] = NODE_KINDS["person"]
    id_number: Annotated[str, Field(max_length=50)] | None = None
    birth_date: Day = None
    nationality: Annotated[str, Field(max_length=50)] | None = None


class Agency(Company):
    kind: ClassVar[NodeKind] = NODE_KINDS["agency"]
    licence_no: Annotated[str, Field(max_length=100)] | None = None


class Agent(Person):
    kind: ClassVar[NodeKind] = NODE_KINDS["agent"]
    licence_no: Annotated[str, Field(max_length=100)] | None = None


class Patent(Node):
    kind: ClassVar[NodeKind] = NODE_KINDS["patent"]
    number: Annotated[str, Field(min_length=1, max_length=50)]
    title: Text | None = None
    kind_code: Annotated[str, Field(max_length=20)] | None = None
    filed_on: Day = None
    granted_on: Day = None


class Trademark(Node):
    kind: ClassVar[NodeKind] = NODE_KINDS["trademark"]
    number: Annotated[str, Field(min_length=1, max_length=50)]
    name: Text | None = None
    classes: list[Annotated[int, Field(ge=1, le=45)]] = Field(default_factory=list)  # Nice classes
    status: Annotated[str, Field(max_length=50)] | None = None
    filed_on: Day = None
    registered_on: Day = None


# --- amounts -------------------------------------------------------------------------------------

_AMOUNT = re.compile(r"^[0-9]{1,15}(\.[0-9]{1,6})?$")


def _exact_amount(value: Any) -> Any:
    """An amount as exact decimal text: a Decimal or an int keeps its digits; a binary float is refused
    (it may already have lost some)."""
    if isinstance(value, bool):
        raise ValueError("an amount must be a decimal number")
    if isinstance(value, Decimal | int):
        return str(value)
    if isinstance(value, float):
        raise ValueError("an amount must be given as text or an exact decimal, not a binary float")
    return value


def _decimal_text(value: str) -> str:
    if not _AMOUNT.match(value):
        raise ValueError(f"an amount is a non-negative decimal such as 1.5 (万元), got {value!r}")
    return value


# an amount in 万元, stored as the decimal text given ("1.50" stays "1.50"): never a float
Amount = Annotated[str, BeforeValidator(_exact_amount), AfterValidator(_decimal_text)]


class ViolationStatus(StrEnum):
    IN_FORCE = "in_force"
    REVOKED = "revoked"  # set aside on review or appeal
    REPAIRED = "repaired"  # credit repair ended its effect early
    EXPIRED = "expired"


class Violation(Node):
    """A dishonesty record: a decided behaviour of one subject, optionally about one right."""

    kind: ClassVar[NodeKind] = NODE_KINDS["violation"]
    behaviour_code: Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_.-]{0,40}$")]
    decided_on: Day
    authority: Text | None = None
    doc_number: Annotated[str, Field(max_length=200)] | None = None
    status: ViolationStatus = ViolationStatus.IN_FORCE
    description: Text | None = None
    expires_on: Day = None
    penalty_done_on: Day = None
    # the 双公示 penalty fields (docs/exchange.md), as given
    legal_basis: Text | None = None  # 处罚依据
    penalty_type: Name | None = None  # 处罚类别
    penalty_content: Text | None = None  # 处罚内容
    fine_10k_cny: Amount | None = None  # 罚款金额（万元）
    confiscated_10k_cny: Amount | None = None  # 没收违法所得/非法财物的金额（万元）
    licence_action: Text | None = None  # 暂扣或吊销证照名称及编号
    authority_code: CreditCode | None = None  # 处罚机关统一社会信用代码
    source_unit: Name | None = None  # 数据来源单位
    source_unit_code: CreditCode | None = None  # 数据来源单位统一社会信用代码
    note: Text | None = None  # 备注
    source_published_until: Day = None  # 公示截止期 as the sending platform gave it (ours is the register's)

    @field_validator("decided_on")
    @classmethod
    def _decided(cls, value: date | None) -> date:
        if value is None:
            raise ValueError("a violation needs the date it was decided on")
        return value


_CONTACT_NORMALIZERS: dict[str, Callable[[str], str]] = {
    "address": normalize_address,
    "phone": normalize_phone,
    "email": normalize_email,
}


def contact_uid(kind: str, value: str) -> str:
    """The uid of an address, phone or email: a keyed hash of its normalised value (no personal data)."""
    return opaque_uid(kind, _CONTACT_NORMALIZERS[kind](value))


def person_uid(prefix: str, *identity: str) -> str:
    """The uid of a natural person known only by name within a record: a keyed hash of the identity."""
    return opaque_uid(prefix, ":".join(identity))


class _ContactPoint(Node):
    """An address, phone or email, keyed by its normalised value so that sharing it is one node.

    Give `value`; the `uid` is derived from it (`phone:h.<keyed hash>`), never taken from input.
    """

    uid: Uid = ""
    value: Annotated[str, Field(min_length=1, max_length=300)]

    @model_validator(mode="before")
    @classmethod
    def _derive_uid(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("value"), str):
            value = _CONTACT_NORMALIZERS[cls.kind.name](data["value"])
            data = {**data, "value": value, "uid": contact_uid(cls.kind.name, value)}
        return data


class Address(_ContactPoint):
    kind: ClassVar[NodeKind] = NODE_KINDS["address"]


class Phone(_ContactPoint):
    kind: ClassVar[NodeKind] = NODE_KINDS["phone"]


class Email(_ContactPoint):
    kind: ClassVar[NodeKind] = NODE_KINDS["email"]


class Link(Record):
    """A tie between two nodes, by their uids; endpoints must exist when it is written."""

    kind: ClassVar[LinkKind]
    start_uid: Uid
    end_uid: Uid
    since: Day = None
    until: Day = None
    partial_dates: PartialDates = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _dates(cls, data: Any) -> Any:
        return _partial_dates(data, ("since", "until"))


def _link(name: str) -> type[Link]:
    return type(name.title().replace("_", ""), (Link,), {"kind": LINK_KINDS[name], "__module__": __name__})


class Shareholding(Link):
    kind: ClassVar[LinkKind] = LINK_KINDS["shareholder"]
    ratio: Annotated[float, Field(gt=0, le=1)] | None = None

    @field_validator("ratio", mode="before")
    @classmethod
    def _percent(cls, value: Any) -> Any:
        """Accept `0.3`, `30%` or `30` (a percentage when above 1)."""
        if isinstance(value, str):
            text = value.strip()
            if not text:
                return None
            if text.endswith("%"):  # an explicit percentage: above 100% fails the range check below
                return float(text.rstrip("%")) / 100
            value = float(text)
        if isinstance(value, int | float) and 1 < value <= 100:
            return value / 100
        return value


class Officer(Link):
    kind: ClassVar[LinkKind] = LINK_KINDS["officer"]
    role: Annotated[str, Field(max_length=100)] | None = None


class Family(Link):
    kind: ClassVar[LinkKind] = LINK_KINDS["family"]
    relation: Annotated[str, Field(max_length=100)] | None = None


class PossibleSameAs(Link):
    kind: ClassVar[LinkKind] = LINK_KINDS["possible_same_as"]
    reason: Annotated[str, Field(max_length=200)]
    score: Annotated[float, Field(ge=0, le=1)]


LegalRep = _link("legal_rep")
Branch = _link("branch")
AgentOf = _link("agent_of")
LocatedAt = _link("located_at")
UsesPhone = _link("uses_phone")
UsesEmail = _link("uses_email")
ApplicantOfPatent = _link("applicant_patent")
ApplicantOfTrademark = _link("applicant_trademark")
InventorOf = _link("inventor")
RepresentsPatent = _link("represents_patent")
RepresentsTrademark = _link("represents_trademark")
Committed = _link("committed")
ConcernsPatent = _link("concerns_patent")
ConcernsTrademark = _link("concerns_trademark")

NODE_MODELS: dict[str, type[Node]] = {
    m.kind.name: m for m in (Company, Person, Agency, Agent, Patent, Trademark, Violation, Address, Phone, Email)
}
LINK_MODELS: dict[str, type[Link]] = {
    m.kind.name: m
    for m in (
        LegalRep,
        Shareholding,
        Officer,
        Branch,
        AgentOf,
        Family,
        LocatedAt,
        UsesPhone,
        UsesEmail,
        ApplicantOfPatent,
        ApplicantOfTrademark,
        InventorOf,
        RepresentsPatent,
        RepresentsTrademark,
        Committed,
        ConcernsPatent,
        ConcernsTrademark,
        PossibleSameAs,
    )
}


class Level(StrEnum):
    A_PLUS = "A+"
    A = "A"
    B = "B"
    C = "C"
    D = "D"


class Assessment(BaseModel):
    """A dated credit level of one subject, with the policy version and the facts behind it."""

    model_config = ConfigDict(frozen=True)
    subject_uid: Uid
    level: Level
    score: float
    as_of: date
    policy_version: str
    factors: list[dict[str, Any]] = Field(default_factory=list)
