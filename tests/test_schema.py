"""The schema applies idempotently, and every .cypher file speaks only the schema's vocabulary."""

from __future__ import annotations

import re
from enum import StrEnum
from importlib import resources

import pytest

from graph import schema
from graph.identity import migrated_uid, opaque_uid
from graph.schema import CONTACT_LINKS, PARTY_TIES, Label, Rel
from graph.store import Store
from queries.migrations import MIGRATIONS, SCHEMA_VERSION
from queries.schema import applied_versions, init_schema, make_uids_opaque
from queries.statements import CypherFileError, cypher


def _schema_snapshot(store: Store) -> tuple[list[str], list[str]]:
    constraints = [r["name"] for r in store.read("SHOW CONSTRAINTS YIELD name RETURN name ORDER BY name")]
    indexes = [r["name"] for r in store.read("SHOW INDEXES YIELD name RETURN name ORDER BY name")]
    return constraints, indexes


def test_init_twice_changes_nothing(store: Store) -> None:
    first = init_schema(store)
    before = _schema_snapshot(store)
    second = init_schema(store)
    after = _schema_snapshot(store)
    assert first.version == second.version == SCHEMA_VERSION
    assert second.newly_applied == []
    assert before == after
    assert applied_versions(store) == [m.version for m in MIGRATIONS]
    constraint_names = set(after[0])
    assert {"subject_uid", "violation_uid", "patent_uid"} <= constraint_names
    assert "subject_names" in after[1]


def test_fulltext_index_finds_chinese_and_latin_names(store: Store) -> None:
    store.write(
        "UNWIND $rows AS r CREATE (:Subject:Company {uid: r.uid, name: r.name})",
        {
            "rows": [
                {"uid": "t:1", "name": "北京华为数字技术有限公司"},
                {"uid": "t:2", "name": "Huawei Technologies Co"},
            ]
        },
    )
    store.run_autocommit("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
    hits = store.read(
        "CALL db.index.fulltext.queryNodes('subject_names', $q) YIELD node RETURN node.uid AS uid", {"q": "华为"}
    )
    assert [h["uid"] for h in hits] == ["t:1"]
    hits = store.read(
        "CALL db.index.fulltext.queryNodes('subject_names', $q) YIELD node RETURN node.uid AS uid", {"q": "huawei"}
    )
    assert [h["uid"] for h in hits] == ["t:2"]


_REL_PATTERN = re.compile(r"\[[^\]]*\]")
_REL_TYPE = re.compile(r"^\[\s*\w*\s*:([A-Z_|]+)(?![a-z])")
_NODE_LABEL = re.compile(r"[(\w]:([A-Z][A-Za-z]*)")


def test_cypher_files_use_only_schema_labels_and_types() -> None:
    labels = {str(x) for x in Label}
    rels = {str(x) for x in Rel}
    problems = []
    for name in cypher.names():
        text = re.sub(r"//.*", "", cypher.text(name))
        for pattern in _REL_PATTERN.findall(text):
            for group in _REL_TYPE.findall(pattern):
                for rel in group.split("|"):
                    if rel and rel not in rels:
                        problems.append(f"{name}: type {rel}")
        for label in _NODE_LABEL.findall(_REL_PATTERN.sub("[]", text)):
            if label not in labels:
                problems.append(f"{name}: label {label}")
    assert cypher.names(), "no .cypher files found"
    assert problems == []


def test_fragments_are_inlined_once_written_and_are_not_statements() -> None:
    names = cypher.names()
    assert not any(name.rpartition("/")[2].startswith("_") for name in names)
    users = [name for name in names if "{{>" in (resources.files("queries") / f"{name}.cypher").read_text()]
    assert {"credit/dishonesty_chains", "credit/evaluation_facts", "credit/records_all"} <= set(users)
    assert {"catalogue/controllers", "traversal/expand", "load/upsert_nodes"} <= set(users)
    markers = {  # a piece of each shared rule, from its one file
        "credit/_record_in_force": "duration({months:",
        "credit/_tie_in_force": "date(t.until) > $as_of",
        "load/_provenance_entry": "'content_hash=' + rec.content_hash",
    }
    for name in users:
        raw = (resources.files("queries") / f"{name}.cypher").read_text()
        text = cypher.text(name)
        assert "{{>" not in text
        for fragment, marker in markers.items():
            if f"{{{{> {fragment}}}}}" in raw:
                assert marker in text, (name, fragment)
    with pytest.raises(CypherFileError, match="not a fragment"):
        cypher.fragment("credit/evaluation_facts", into="a test")


def test_no_statement_spells_a_schema_tie_list_by_hand() -> None:
    """Two or more party ties (or contact links) side by side in a file are a list the schema should fill."""
    problems = []
    for tuple_ in (PARTY_TIES, CONTACT_LINKS):
        names = "|".join(str(t) for t in tuple_)
        hand = re.compile(rf"\b({names})\|({names})\b")
        for path in resources.files("queries").rglob("*.cypher"):  # type: ignore[attr-defined]
            text = re.sub(r"//.*", "", path.read_text(encoding="utf-8"))
            problems += [f"{path.name}: {m.group(0)}" for m in hand.finditer(text)]
    assert problems == []


def test_a_tie_kind_added_to_the_schema_reaches_every_statement_that_follows_party_ties(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ties = "|".join(str(t) for t in PARTY_TIES)
    following = [name for name in cypher.names() if ties in cypher.text(name)]
    chains = {"credit/dishonesty_chains", "credit/dishonesty_chains_outward"}
    assert chains | {"subjects/detail", "subjects/demo_pick"} <= set(following)
    counts = {name: cypher.text(name).count(ties) for name in following}
    assert all(counts[name] == 7 for name in chains)  # every hop, hub test and suspected branch
    # a copy of the schema with one more kind of party tie
    extended = StrEnum("Rel", {**{r.name: r.value for r in Rel}, "PARTNER_OF": "PARTNER_OF"})  # type: ignore[misc]
    monkeypatch.setattr(schema, "PARTY_TIES", (*(extended[t.name] for t in PARTY_TIES), extended["PARTNER_OF"]))
    cypher.clear()
    try:
        for name in following:
            text = cypher.text(name)
            assert text.count(f"{ties}|PARTNER_OF") == counts[name], name
            assert text.count(ties) == counts[name], name  # no list left without the new kind
        others = [name for name in cypher.names() if name not in following]
        assert not [name for name in others if "PARTNER_OF" in cypher.text(name)]
    finally:
        cypher.clear()


def test_uids_are_made_opaque_a_page_at_a_time_and_only_once(store: Store) -> None:
    """Legacy uids are read in pages from the database (opaque ones filtered there, so memory stays flat);
    one whose opaque uid is taken is passed over, not read again forever; a second run finds nothing."""
    phones = [f"phone:0108{i:04d}" for i in range(7)]
    store.write("UNWIND $uids AS uid CREATE (:Phone {uid: uid})", {"uids": phones})
    taken = migrated_uid("email:someone@example.com")
    assert taken is not None
    store.write(
        "CREATE (:Email {uid: 'email:someone@example.com'}), (:Email {uid: $taken}), (:Phone {uid: $opaque})",
        {"taken": taken, "opaque": opaque_uid("phone", "already")},
    )
    assert make_uids_opaque(store, batch=2) == 7
    uids = {row["uid"] for row in store.read("MATCH (n:Phone|Email) RETURN n.uid AS uid")}
    assert not uids & set(phones)
    assert {migrated_uid(p) for p in phones} <= uids
    assert "email:someone@example.com" in uids  # its opaque uid belongs to another node: left, not looped on
    assert make_uids_opaque(store, batch=2) == 0
