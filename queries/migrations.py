"""The schema's versioned migrations, as steps: each names a statement under `queries/schema/`, the
schema members that fill its slots and its parameters. The constraints and indexes themselves are
the schema's facts (`graph/schema.py`); a new migration takes the next version number here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.schema import (
    FULLTEXT_ANALYZER,
    FULLTEXT_INDEXES,
    LINK_KINDS,
    LOADED_AT_LABELS,
    LOADED_AT_RELS,
    RANGE_INDEXES,
    SUPERVISION_UID_LABELS,
    UNIQUE_UID_LABELS,
    Label,
    Prop,
)
from queries.statements import SlotValue


@dataclass(frozen=True)
class Step:
    """One statement of a migration: a file under `queries/schema/`, the schema members filling its
    slots, and its parameters (names of constraints and indexes, index options)."""

    statement: str
    slots: dict[str, SlotValue] = field(default_factory=dict)
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Migration:
    """One versioned step of schema changes; every step is idempotent (IF NOT EXISTS, or a data step
    that finds nothing left to do)."""

    version: int
    description: str
    steps: tuple[Step, ...]


def _constraint_steps() -> tuple[Step, ...]:
    uid = tuple(
        Step("schema/unique", {"label": label, "key": Prop.UID}, {"name": f"{label.lower()}_uid"})
        for label in UNIQUE_UID_LABELS
    )
    version = Step(
        "schema/unique", {"label": Label.SCHEMA_MIGRATION, "key": Prop.VERSION}, {"name": "schema_migration_version"}
    )
    return (*uid, version)


def _fulltext_steps(*, eventually_consistent: bool) -> tuple[Step, ...]:
    return tuple(
        Step(
            "schema/fulltext_index",
            {"label": label, "keys": props},
            {"name": name, "analyzer": FULLTEXT_ANALYZER, "eventually_consistent": eventually_consistent},
        )
        for name, (label, props) in FULLTEXT_INDEXES.items()
    )


def _drop_fulltext_steps() -> tuple[Step, ...]:
    return tuple(Step("schema/drop_index", params={"name": name}) for name in FULLTEXT_INDEXES)


def _range_index_steps() -> tuple[Step, ...]:
    return tuple(
        Step("schema/node_index", {"label": label, "key": prop}, {"name": f"{label.lower()}_{prop}"})
        for label, prop in RANGE_INDEXES
    )


def period_key_steps() -> tuple[Step, ...]:
    """Give the ties loaded before periods were part of their key (`loaders.pipeline.link_key`) that
    key, so a reload finds them rather than adding a second tie. Idempotent: a key already ending in
    the tie's period is left alone."""
    return tuple(
        Step(
            "schema/period_key" if kind.discriminator is None else "schema/period_key_discriminated",
            {"start": kind.start, "rel": kind.rel, "end": kind.end},
        )
        for kind in LINK_KINDS.values()
        if kind.periodic
    )


def _freshness_steps() -> tuple[Step, ...]:
    unique = (
        Step("schema/unique", {"label": Label.CHANGE, "key": Prop.SEQ}, {"name": "change_seq"}),
        Step("schema/unique", {"label": Label.SEQUENCE, "key": Prop.NAME}, {"name": "sequence_name"}),
        Step("schema/unique", {"label": Label.WATCHLIST, "key": Prop.UID}, {"name": "watchlist_uid"}),
    )
    lookups = (
        Step("schema/node_index", {"label": Label.CHANGE, "key": Prop.SUBJECT_UID}, {"name": "change_subject_uid"}),
        *(
            Step("schema/node_index", {"label": label, "key": Prop.LOADED_AT}, {"name": f"{label.lower()}_loaded_at"})
            for label in LOADED_AT_LABELS
        ),
        *(
            Step("schema/link_index", {"rel": rel, "key": Prop.LOADED_AT}, {"name": f"{rel.lower()}_loaded_at"})
            for rel in LOADED_AT_RELS
        ),
    )
    return (*unique, *lookups)


def _supervision_steps() -> tuple[Step, ...]:
    unique = tuple(
        Step("schema/unique", {"label": label, "key": Prop.UID}, {"name": f"{label.lower()}_uid"})
        for label in SUPERVISION_UID_LABELS
    )
    lookups = (
        Step(
            "schema/node_index",
            {"label": Label.APPLIED_MEASURE, "key": Prop.DEPARTMENT},
            {"name": "appliedmeasure_department"},
        ),
        Step("schema/node_index", {"label": Label.AGENCY_CYCLE, "key": Prop.PERIOD}, {"name": "agencycycle_period"}),
    )
    return (*unique, *lookups)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "uid constraints, lookup and full-text indexes",
        (*_constraint_steps(), *_range_index_steps(), *_fulltext_steps(eventually_consistent=False)),
    ),
    # Synchronous full-text updates cost a third of the write rate on loads (measured: subject upserts
    # 2.7k/s synchronous vs 5.4k/s eventually consistent); loads wait for the refresh once at their end.
    Migration(
        2,
        "full-text indexes updated eventually consistently",
        (*_drop_fulltext_steps(), *_fulltext_steps(eventually_consistent=True)),
    ),
    # names are stored verbatim since issue 10: the subject index also covers their normalised forms
    Migration(
        3,
        "subject names index over the verbatim and the normalised names",
        (*_drop_fulltext_steps(), *_fulltext_steps(eventually_consistent=True)),
    ),
    Migration(4, "ties keyed by discriminator and period", period_key_steps()),
    Migration(5, "change feed, watchlists, and lookups of what a load changed", _freshness_steps()),
    # per-run assessments (one per subject per run) become history by change, with the current state on
    # the subject; identical consecutive runs collapse into their first, so every level ever held stays
    Migration(6, "assessment history by change, current state on the subject", (Step("schema/history_from_runs"),)),
    # supervision by level (issue 14): subjects' regions, random inspection plans and inspections
    Migration(
        7,
        "subject regions; inspection plans and inspections",
        (
            Step(
                "schema/node_index", {"label": Label.SUBJECT, "key": Prop.REGION_CODE}, {"name": "subject_region_code"}
            ),
            *(
                Step("schema/unique", {"label": label, "key": Prop.UID}, {"name": f"{label.lower()}_uid"})
                for label in (Label.INSPECTION_PLAN, Label.INSPECTION)
            ),
        ),
    ),
    Migration(8, "commitments, applied measures and agency cycles", _supervision_steps()),
)

SCHEMA_VERSION: int = MIGRATIONS[-1].version
