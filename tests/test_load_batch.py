"""Batch validation of canonical input (`loaders.canonical`): rows validated many at a time give exactly
the items of rows validated one at a time (the same records, the same rejects with the same reasons and
lines, in the same order), whatever the batch size and wherever the bad rows fall in a batch."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from graph.model import Link, Node
from loaders.canonical import VALIDATION_BATCH, CanonicalReader
from loaders.records import Item, Reject
from synth.generator import generate

BAD = Path(__file__).parent / "data" / "bad"


def _items(path: Path, syntax: str, batch: int) -> list[Item]:
    out: list[Item] = []
    for suffix in ("csv", "jsonl") if syntax == "any" else (syntax,):
        if any(path.glob(f"*.{suffix}")):
            out.extend(CanonicalReader("csv" if suffix == "csv" else "jsonl", batch=batch)(path))
    return out


@pytest.mark.parametrize("folder", sorted(p.name for p in BAD.iterdir() if p.is_dir() and p.name != "empty"))
def test_bad_corpus_batched_as_one_by_one(folder: str) -> None:
    one_by_one = _items(BAD / folder, "any", 1)
    assert one_by_one, f"{folder}: nothing read"
    for batch in (2, 7, VALIDATION_BATCH):
        assert _items(BAD / folder, "any", batch) == one_by_one, f"{folder}, batch {batch}"


def test_synthetic_dataset_batched_as_one_by_one(tmp_path: Path) -> None:
    generate(tmp_path, 400, 3)
    one_by_one = _items(tmp_path, "csv", 1)
    assert len(one_by_one) > 2000 and any(isinstance(i, Link) for i in one_by_one)
    assert _items(tmp_path, "csv", VALIDATION_BATCH) == one_by_one
    assert _items(tmp_path, "csv", 33) == one_by_one


def test_bad_rows_inside_one_batch_are_rejected_each_with_its_line_and_reason(tmp_path: Path) -> None:
    rows = [["company", f"test:c{i}", f"Company {i}", "", "CN", "2001-02-03"] for i in range(20)]
    rows[4][5] = "2001-13-45"  # an impossible date
    rows[5][3] = "91350100M000100Y4X"  # a credit code that fails its check character
    rows[12][2] = "Bad\x07Name"  # a control character in a name
    with (tmp_path / "subjects.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["kind", "uid", "name", "credit_code", "country", "registered_on"])
        out.writerows(rows)
    items = list(CanonicalReader("csv")(tmp_path / "subjects.csv"))
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [r.ref for r in rejects] == ["6", "7", "14"]  # header is line 1
    assert "registered_on" in rejects[0].reason and "check character" in rejects[1].reason
    assert "name" in rejects[2].reason and rejects[2].raw["name"] == "Bad\x07Name"
    nodes = [i for i in items if isinstance(i, Node)]
    assert [n.uid for n in nodes] == [f"test:c{i}" for i in range(20) if i not in (4, 5, 12)]
    assert [i.source_ref.rsplit(":", 1)[1] for i in nodes][:4] == ["2", "3", "4", "5"]


def test_a_row_whose_link_fails_is_rejected_whole(tmp_path: Path) -> None:
    with (tmp_path / "contacts.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["kind", "subject_uid", "value", "since"])
        out.writerow(["phone", "test:c1", "+86 591 1234 5678", "2020-01-01"])
        out.writerow(["phone", "test:c2", "+86 591 1234 5679", "not a date"])  # the link's date fails
        out.writerow(["phone", "", "+86 591 1234 5670", ""])  # the node is valid, no subject
        out.writerow(["email", "test:c3", "c3@example.com", ""])
    items = list(CanonicalReader("csv")(tmp_path / "contacts.csv"))
    where = [i.ref if isinstance(i, Reject) else i.source_ref.rsplit(":", 1)[1] for i in items]
    assert list(zip([type(i).__name__ for i in items], where, strict=True)) == [
        ("Phone", "2"),
        ("UsesPhone", "2"),
        ("Reject", "3"),
        ("Reject", "4"),
        ("Email", "5"),
        ("UsesEmail", "5"),
    ]
    third, fourth = items[2], items[3]
    assert isinstance(third, Reject) and "since" in third.reason
    assert isinstance(fourth, Reject) and fourth.reason == "subject_uid is required"
