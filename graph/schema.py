"""The one source of truth for the graph's shape: labels, relationship types, property keys,
node and link kinds, and the constraints and indexes the graph holds (the versioned migrations that
create them are steps in `queries/migrations.py`).

Cypher files never take a label or relationship type from user text; where a statement must vary
by kind, it is rendered from the enums here (see `queries.statements`). Loaders, the bulk importer and
the queries all read the kinds below, so a new property or tie is added in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Label(StrEnum):
    SUBJECT = "Subject"
    COMPANY = "Company"
    PERSON = "Person"
    AGENCY = "Agency"
    AGENT = "Agent"
    PATENT = "Patent"
    TRADEMARK = "Trademark"
    VIOLATION = "Violation"
    ADDRESS = "Address"
    PHONE = "Phone"
    EMAIL = "Email"
    ASSESSMENT = "Assessment"
    OBJECTION = "Objection"
    AUDIT_EVENT = "AuditEvent"
    LOAD_JOB = "LoadJob"  # a server-side load and its state, so any API worker can answer for it
    SCHEMA_MIGRATION = "SchemaMigration"
    # freshness: change events numbered by a sequence, watchlists and their webhook deliveries
    CHANGE = "Change"
    SEQUENCE = "Sequence"
    WATCHLIST = "Watchlist"
    DELIVERY = "Delivery"
    # supervision by level: random inspection plans (双随机) and their inspections
    INSPECTION_PLAN = "InspectionPlan"
    INSPECTION = "Inspection"
    # supervision by level: credit commitments, measures applied and their feedback, agency cycles
    COMMITMENT = "Commitment"
    APPLIED_MEASURE = "AppliedMeasure"
    MEASURE_FEEDBACK = "MeasureFeedback"
    AGENCY_CYCLE = "AgencyCycle"


class Rel(StrEnum):
    # ties between parties (registry-backed)
    LEGAL_REP_OF = "LEGAL_REP_OF"
    SHAREHOLDER_OF = "SHAREHOLDER_OF"
    OFFICER_OF = "OFFICER_OF"
    BRANCH_OF = "BRANCH_OF"
    AGENT_OF = "AGENT_OF"
    FAMILY_OF = "FAMILY_OF"
    # shared contact points (suspected ties)
    LOCATED_AT = "LOCATED_AT"
    USES_PHONE = "USES_PHONE"
    USES_EMAIL = "USES_EMAIL"
    # IP rights
    APPLICANT_OF = "APPLICANT_OF"
    INVENTOR_OF = "INVENTOR_OF"
    REPRESENTS = "REPRESENTS"
    # records
    COMMITTED = "COMMITTED"
    CONCERNS = "CONCERNS"
    OF = "OF"
    OBJECTS_TO = "OBJECTS_TO"
    ABOUT = "ABOUT"
    # resolution: possible duplicates are linked, never merged
    POSSIBLE_SAME_AS = "POSSIBLE_SAME_AS"
    # supervision: a plan includes inspections, each inspects a subject and may find records
    INCLUDES = "INCLUDES"
    INSPECTS = "INSPECTS"
    FOUND = "FOUND"
    # supervision by level: a subject made a commitment, is subject to an applied measure; a record
    # made by the platform is evidenced by the commitment or the agency cycle behind it
    MADE = "MADE"
    SUBJECT_TO = "SUBJECT_TO"
    EVIDENCED_BY = "EVIDENCED_BY"


PARTY_TIES: tuple[Rel, ...] = (
    Rel.LEGAL_REP_OF,
    Rel.SHAREHOLDER_OF,
    Rel.OFFICER_OF,
    Rel.BRANCH_OF,
    Rel.AGENT_OF,
    Rel.FAMILY_OF,
)
CONTACT_LINKS: tuple[Rel, ...] = (Rel.LOCATED_AT, Rel.USES_PHONE, Rel.USES_EMAIL)
# the ties through which a party runs or holds a company (an agency's controllers)
CONTROL_TIES: tuple[Rel, ...] = (Rel.LEGAL_REP_OF, Rel.OFFICER_OF, Rel.SHAREHOLDER_OF)
IP_LINKS: tuple[Rel, ...] = (Rel.APPLICANT_OF, Rel.INVENTOR_OF, Rel.REPRESENTS)
CONTACT_LABELS: tuple[Label, ...] = (Label.ADDRESS, Label.PHONE, Label.EMAIL)


class Prop(StrEnum):
    """Property keys used on nodes and links."""

    UID = "uid"
    NAME = "name"
    NAME_NORM = "name_norm"  # the comparison form of `name` (NFKC, spaces folded, case folded): keys, matching, search
    ALIASES = "aliases"
    ALIASES_NORM = "aliases_norm"  # the comparison forms of `aliases`
    SOURCE = "source"
    SOURCE_REF = "source_ref"
    LOADED_AT = "loaded_at"
    CONTENT_HASH = "content_hash"
    LINK_KEY = "link_key"  # discriminator|since|until: what tells apart several links of one type between two nodes
    # subjects
    CREDIT_CODE = "credit_code"
    COUNTRY = "country"
    REGISTERED_ON = "registered_on"
    STATUS = "status"
    ID_NUMBER = "id_number"
    BIRTH_DATE = "birth_date"
    NATIONALITY = "nationality"
    LICENCE_NO = "licence_no"
    # IP rights
    NUMBER = "number"
    TITLE = "title"
    KIND_CODE = "kind_code"
    FILED_ON = "filed_on"
    GRANTED_ON = "granted_on"
    CLASSES = "classes"
    # violations
    BEHAVIOUR_CODE = "behaviour_code"
    DECIDED_ON = "decided_on"
    AUTHORITY = "authority"
    DOC_NUMBER = "doc_number"
    DESCRIPTION = "description"
    EXPIRES_ON = "expires_on"
    PENALTY_DONE_ON = "penalty_done_on"
    # the 双公示 penalty fields (docs/exchange.md): amounts are decimal strings, exact as given
    LEGAL_BASIS = "legal_basis"
    PENALTY_TYPE = "penalty_type"
    PENALTY_CONTENT = "penalty_content"
    FINE_10K_CNY = "fine_10k_cny"
    CONFISCATED_10K_CNY = "confiscated_10k_cny"
    LICENCE_ACTION = "licence_action"
    AUTHORITY_CODE = "authority_code"
    SOURCE_UNIT = "source_unit"
    SOURCE_UNIT_CODE = "source_unit_code"
    NOTE = "note"
    SOURCE_PUBLISHED_UNTIL = "source_published_until"  # the sending platform's 公示截止期, as given
    # contact points
    VALUE = "value"
    # links
    RATIO = "ratio"
    ROLE = "role"
    RELATION = "relation"
    SINCE = "since"
    UNTIL = "until"
    PARTIAL_DATES = "partial_dates"  # dates given as a year or a year-month, as given: `since=2005`
    REASON = "reason"
    SCORE = "score"
    # assessments, objections, audit
    LEVEL = "level"
    AS_OF = "as_of"
    POLICY_VERSION = "policy_version"
    FACTORS = "factors"
    CREATED_AT = "created_at"
    ACTOR = "actor"
    ACTION = "action"
    VERSION = "version"
    APPLIED_AT = "applied_at"
    # credit workflow (objections, repair)
    ENDED_ON = "ended_on"
    SUSPENDED_SINCE = "suspended_since"
    REPAIRED_ON = "repaired_on"
    RESOLVED_ON = "resolved_on"
    OUTCOME = "outcome"
    # a subject's maintained state and the change feed
    ASSESSED_AT = "assessed_at"
    FACTORS_DIGEST = "factors_digest"
    EVALUATION = "evaluation"
    SEQ = "seq"
    SUBJECT_UID = "subject_uid"
    # a subject's region (GB/T 2260 division), set by `ipcredit regions assign`
    REGION_CODE = "region_code"
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    # supervision by level
    DEPARTMENT = "department"
    PERIOD = "period"


PROVENANCE: tuple[Prop, ...] = (Prop.SOURCE, Prop.SOURCE_REF, Prop.LOADED_AT)


@dataclass(frozen=True)
class NodeKind:
    """A kind of node that loaders write: its key label, extra labels and properties."""

    name: str
    key_label: Label
    labels: tuple[Label, ...]
    properties: tuple[Prop, ...]

    @property
    def all_properties(self) -> tuple[Prop, ...]:
        return (Prop.UID, *self.properties, *PROVENANCE)


@dataclass(frozen=True)
class LinkKind:
    """A kind of link that loaders write: its type, endpoint key labels and properties."""

    name: str
    rel: Rel
    start: Label
    end: Label
    properties: tuple[Prop, ...] = field(default=())
    # the property that tells apart several links of this type between the same two nodes (e.g. an
    # officer's role); with the period (since/until) of a tie it makes the `link_key`
    discriminator: Prop | None = None

    @property
    def all_properties(self) -> tuple[Prop, ...]:
        return (*self.properties, *PROVENANCE)

    @property
    def periodic(self) -> bool:
        """A tie with a period: the same parties may hold it several times, each on its own dates."""
        return Prop.SINCE in self.properties

    @property
    def keyed(self) -> bool:
        """Whether loaders MERGE this kind on (start, type, `link_key`, end) rather than (start, type, end)."""
        return self.discriminator is not None or self.periodic


_COMPANY_PROPS = (
    Prop.NAME,
    Prop.NAME_NORM,
    Prop.ALIASES,
    Prop.ALIASES_NORM,
    Prop.CREDIT_CODE,
    Prop.COUNTRY,
    Prop.REGISTERED_ON,
    Prop.STATUS,
    Prop.PARTIAL_DATES,
)
_PERSON_PROPS = (
    Prop.NAME,
    Prop.NAME_NORM,
    Prop.ALIASES,
    Prop.ALIASES_NORM,
    Prop.ID_NUMBER,
    Prop.BIRTH_DATE,
    Prop.NATIONALITY,
    Prop.PARTIAL_DATES,
)
_TIE_PROPS = (Prop.SINCE, Prop.UNTIL, Prop.PARTIAL_DATES)

NODE_KINDS: dict[str, NodeKind] = {
    k.name: k
    for k in (
        NodeKind("company", Label.SUBJECT, (Label.SUBJECT, Label.COMPANY), _COMPANY_PROPS),
        NodeKind("person", Label.SUBJECT, (Label.SUBJECT, Label.PERSON), _PERSON_PROPS),
        NodeKind(
            "agency", Label.SUBJECT, (Label.SUBJECT, Label.COMPANY, Label.AGENCY), (*_COMPANY_PROPS, Prop.LICENCE_NO)
        ),
        NodeKind("agent", Label.SUBJECT, (Label.SUBJECT, Label.PERSON, Label.AGENT), (*_PERSON_PROPS, Prop.LICENCE_NO)),
        NodeKind(
            "patent",
            Label.PATENT,
            (Label.PATENT,),
            (Prop.NUMBER, Prop.TITLE, Prop.KIND_CODE, Prop.FILED_ON, Prop.GRANTED_ON),
        ),
        NodeKind(
            "trademark",
            Label.TRADEMARK,
            (Label.TRADEMARK,),
            (Prop.NUMBER, Prop.NAME, Prop.CLASSES, Prop.STATUS, Prop.FILED_ON, Prop.REGISTERED_ON),
        ),
        NodeKind(
            "violation",
            Label.VIOLATION,
            (Label.VIOLATION,),
            (
                Prop.BEHAVIOUR_CODE,
                Prop.DECIDED_ON,
                Prop.AUTHORITY,
                Prop.DOC_NUMBER,
                Prop.STATUS,
                Prop.DESCRIPTION,
                Prop.EXPIRES_ON,
                Prop.PENALTY_DONE_ON,
                Prop.LEGAL_BASIS,
                Prop.PENALTY_TYPE,
                Prop.PENALTY_CONTENT,
                Prop.FINE_10K_CNY,
                Prop.CONFISCATED_10K_CNY,
                Prop.LICENCE_ACTION,
                Prop.AUTHORITY_CODE,
                Prop.SOURCE_UNIT,
                Prop.SOURCE_UNIT_CODE,
                Prop.NOTE,
                Prop.SOURCE_PUBLISHED_UNTIL,
            ),
        ),
        NodeKind("address", Label.ADDRESS, (Label.ADDRESS,), (Prop.VALUE,)),
        NodeKind("phone", Label.PHONE, (Label.PHONE,), (Prop.VALUE,)),
        NodeKind("email", Label.EMAIL, (Label.EMAIL,), (Prop.VALUE,)),
    )
}
# the node kinds that are subjects (the parties graded): companies, persons, agencies, agents
SUBJECT_KINDS: frozenset[str] = frozenset(k.name for k in NODE_KINDS.values() if k.key_label == Label.SUBJECT)

LINK_KINDS: dict[str, LinkKind] = {
    k.name: k
    for k in (
        LinkKind("legal_rep", Rel.LEGAL_REP_OF, Label.SUBJECT, Label.SUBJECT, _TIE_PROPS),
        LinkKind("shareholder", Rel.SHAREHOLDER_OF, Label.SUBJECT, Label.SUBJECT, (Prop.RATIO, *_TIE_PROPS)),
        LinkKind("officer", Rel.OFFICER_OF, Label.SUBJECT, Label.SUBJECT, (Prop.ROLE, *_TIE_PROPS), Prop.ROLE),
        LinkKind("branch", Rel.BRANCH_OF, Label.SUBJECT, Label.SUBJECT, _TIE_PROPS),
        LinkKind("agent_of", Rel.AGENT_OF, Label.SUBJECT, Label.SUBJECT, _TIE_PROPS),
        LinkKind("family", Rel.FAMILY_OF, Label.SUBJECT, Label.SUBJECT, (Prop.RELATION, *_TIE_PROPS), Prop.RELATION),
        LinkKind("located_at", Rel.LOCATED_AT, Label.SUBJECT, Label.ADDRESS, _TIE_PROPS),
        LinkKind("uses_phone", Rel.USES_PHONE, Label.SUBJECT, Label.PHONE, _TIE_PROPS),
        LinkKind("uses_email", Rel.USES_EMAIL, Label.SUBJECT, Label.EMAIL, _TIE_PROPS),
        LinkKind("applicant_patent", Rel.APPLICANT_OF, Label.SUBJECT, Label.PATENT),
        LinkKind("applicant_trademark", Rel.APPLICANT_OF, Label.SUBJECT, Label.TRADEMARK),
        LinkKind("inventor", Rel.INVENTOR_OF, Label.SUBJECT, Label.PATENT),
        LinkKind("represents_patent", Rel.REPRESENTS, Label.SUBJECT, Label.PATENT),
        LinkKind("represents_trademark", Rel.REPRESENTS, Label.SUBJECT, Label.TRADEMARK),
        LinkKind("committed", Rel.COMMITTED, Label.SUBJECT, Label.VIOLATION),
        LinkKind("concerns_patent", Rel.CONCERNS, Label.VIOLATION, Label.PATENT),
        LinkKind("concerns_trademark", Rel.CONCERNS, Label.VIOLATION, Label.TRADEMARK),
        LinkKind(
            "possible_same_as",
            Rel.POSSIBLE_SAME_AS,
            Label.SUBJECT,
            Label.SUBJECT,
            (Prop.REASON, Prop.SCORE),
            Prop.REASON,
        ),
    )
}

# Labels whose `uid` is unique: every node is reached by one of them.
UNIQUE_UID_LABELS: tuple[Label, ...] = (
    Label.SUBJECT,
    Label.PATENT,
    Label.TRADEMARK,
    Label.VIOLATION,
    Label.ADDRESS,
    Label.PHONE,
    Label.EMAIL,
    Label.ASSESSMENT,
    Label.OBJECTION,
    Label.AUDIT_EVENT,
    Label.WATCHLIST,
)

# (label, property) pairs with a range index, for lookups that are not by uid.
RANGE_INDEXES: tuple[tuple[Label, Prop], ...] = (
    (Label.SUBJECT, Prop.NAME_NORM),
    (Label.COMPANY, Prop.CREDIT_CODE),
    (Label.PERSON, Prop.ID_NUMBER),
    (Label.PATENT, Prop.NUMBER),
    (Label.TRADEMARK, Prop.NUMBER),
    (Label.VIOLATION, Prop.BEHAVIOUR_CODE),
    (Label.VIOLATION, Prop.STATUS),
    (Label.ASSESSMENT, Prop.AS_OF),
)

# What changed in a transactional load is found by its `loaded_at` (an unchanged record keeps its old
# one): these indexes make that lookup a seek, on the nodes and links whose change can move a level.
LOADED_AT_LABELS: tuple[Label, ...] = (Label.SUBJECT, Label.VIOLATION)
LOADED_AT_RELS: tuple[Rel, ...] = (*PARTY_TIES, *CONTACT_LINKS, Rel.COMMITTED)

# Full-text indexes over names. The CJK analyzer indexes Chinese text as bigrams and Latin text as
# lower-cased words, so one index serves `华为` and `Huawei` alike.
FULLTEXT_ANALYZER = "cjk"
FULLTEXT_INDEXES: dict[str, tuple[Label, tuple[Prop, ...]]] = {
    # names as given and their normalised forms (`（普通合伙）` is found by `(普通合伙)`, `™` by `TM`)
    "subject_names": (Label.SUBJECT, (Prop.NAME, Prop.ALIASES, Prop.NAME_NORM, Prop.ALIASES_NORM)),
    "right_names": (Label.TRADEMARK, (Prop.NAME,)),
    "patent_titles": (Label.PATENT, (Prop.TITLE,)),
}

# supervision by level: what commitments, applied measures and agency cycles are looked up by
SUPERVISION_UID_LABELS: tuple[Label, ...] = (
    Label.COMMITMENT,
    Label.APPLIED_MEASURE,
    Label.MEASURE_FEEDBACK,
    Label.AGENCY_CYCLE,
)
