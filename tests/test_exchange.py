"""The exchange with the national platform: export (penalties, levels, repairs, lists; JSON lines and CSV;
continuing by sequence number), the public export, and the import of the same format back, with its
bad files rejected with reasons and nothing lost."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from api.cli import app
from api.masking import mask_name
from credit.evaluate import today
from credit.exchange import Syntax, write
from credit.exchange_export import PublicExportError, export
from credit.freshness import regrade_after_load
from credit.register import run as publication_run
from credit.workflow import RepairRequest, repair
from graph.exchange import ExchangeKind, exchange_format
from graph.model import uscc_check_character
from graph.settings import get_settings
from graph.store import Store
from loaders.canonical import CanonicalReader
from loaders.formats import reader_for
from loaders.pipeline import load
from loaders.rows import LoadSummary
from queries.statements import cypher
from tests.api_fixtures import HEADERS, api_settings

DATA = Path(__file__).resolve().parent / "data" / "exchange"
FMT = exchange_format().penalties
RECORD_FIELDS = [c.field.split(".", 1)[1] for c in FMT.field if c.field.startswith("record.")]


def _code(first17: str) -> str:
    return first17 + uscc_check_character(first17)


COMPANY = _code("91110108MA01ABCD1")
SHOP = _code("92440300MA5F12345")  # 个体工商户: registration authority 9, type 2
AUTHORITY = _code("11100000000013127")
ID_NUMBER = "110101199001011234"
DAY = today()


def _ago(days: int) -> str:
    return (DAY - timedelta(days=days)).isoformat()


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def build(store: Store, folder: Path) -> LoadSummary:
    """Graph A, loaded through the canonical loader: a company with a legal representative, an
    individual business, a natural person (with an ID number), records of every state of publication."""
    folder.mkdir()
    _write_jsonl(
        folder / "subjects.jsonl",
        [
            {"kind": "company", "uid": "t:c1", "name": "甲科技有限公司", "credit_code": COMPANY},
            {"kind": "company", "uid": "t:shop", "name": "乙商行", "credit_code": SHOP},
            {"kind": "person", "uid": "t:p1", "name": "张三丰", "id_number": ID_NUMBER},
            {"kind": "person", "uid": "t:rep", "name": "李四"},
        ],
    )
    _write_jsonl(folder / "ties.jsonl", [{"kind": "legal_rep", "start_uid": "t:rep", "end_uid": "t:c1"}])
    full = {
        "legal_basis": "《商标法》第六十八条第四款",
        "penalty_type": "罚款;没收违法所得",
        "penalty_content": "罚款十二万三千四百五十六元七角八分",
        "fine_10k_cny": "12.345678",
        "confiscated_10k_cny": "0.50",
        "licence_action": "暂扣 营业执照 No.1234",
        "authority": "北京市知识产权局",
        "authority_code": AUTHORITY,
        "source_unit": "北京市市场监督管理局",
        "source_unit_code": AUTHORITY,
        "note": "首次",
        "description": "张三丰 指使 申请 (a fact naming a person)",
    }
    _write_jsonl(
        folder / "violations.jsonl",
        [
            {
                "uid": "t:v1",
                "subject_uid": "t:c1",
                "behaviour_code": "CN_MALICIOUS_TM",
                "decided_on": _ago(30),
                "doc_number": "京知罚〔2026〕1号",
                "expires_on": _ago(-700),
                **full,
            },
            {
                "uid": "t:v2",
                "subject_uid": "t:shop",
                "behaviour_code": "CN_FALSE_MATERIAL",
                "decided_on": _ago(240),
                "penalty_done_on": _ago(200),
                "doc_number": "京知罚〔2026〕2号",
                "fine_10k_cny": "3",
            },
            {
                "uid": "t:v3",
                "subject_uid": "t:p1",
                "behaviour_code": "CN_ABNORMAL_PATENT",
                "decided_on": _ago(60),
                "doc_number": "京知罚〔2026〕3号",
                "description": "身份证 110101199001011234 的申请人",
            },
            {  # published long ago: its period is over
                "uid": "t:v4",
                "subject_uid": "t:c1",
                "behaviour_code": "CN_FALSE_MATERIAL",
                "decided_on": "2020-01-01",
                "doc_number": "京知罚〔2020〕9号",
            },
            {"uid": "t:v5", "subject_uid": "t:c1", "behaviour_code": "POS_COMMENDATION", "decided_on": _ago(30)},
        ],
    )
    summary = load(store, CanonicalReader("jsonl")(folder), rejects_path=folder / "rejects.jsonl", batch_size=50)
    assert summary.total.rejected == 0
    settle(store, summary)
    return summary


def settle(store: Store, summary: LoadSummary) -> None:
    """What follows a load: levels kept current and the day's publication run."""
    regrade_after_load(store, summary.loaded_at, as_of=DAY)
    publication_run(store, DAY)


def stored(store: Store) -> dict[str, dict[str, Any]]:
    """Every record's exchange fields as stored, by decision number (uids differ across graphs)."""
    rows = store.read("MATCH (v:Violation) RETURN v {.*} AS v")
    out: dict[str, dict[str, Any]] = {}
    for row in rows:
        v = row["v"]
        if v["behaviour_code"] != "POS_COMMENDATION":
            out[v["doc_number"]] = {f: v.get(f) for f in [*RECORD_FIELDS, "published_until"]}
    return out


def rows_of(store: Store, kind: ExchangeKind, since: int | None = None) -> list[dict[str, str | None]]:
    return export(store, kind, since, on=DAY).rows


def clear(store: Store) -> None:
    store.run_autocommit(cypher("admin/clear_graph"))


@pytest.mark.parametrize("syntax", ["jsonl", "csv"])
def test_round_trip_reproduces_every_record_field_for_field(store: Store, tmp_path: Path, syntax: Syntax) -> None:
    build(store, tmp_path / "a")
    exported = export(store, ExchangeKind.PENALTIES, on=DAY)
    assert [list(r) for r in exported.rows] == [FMT.columns] * 4  # v5 is a commendation, no penalty
    before = stored(store)
    file = tmp_path / f"penalties.{syntax}"
    with file.open("w", encoding="utf-8", newline="") as fh:
        write(exported.rows, exported.columns, syntax, fh)

    clear(store)  # an empty graph
    summary = load(store, reader_for("cn-penalty")(file), rejects_path=tmp_path / "rejects.jsonl", batch_size=50)
    assert summary.total.rejected == 0 and summary.count("violation").loaded == 4
    settle(store, summary)
    after = stored(store)
    assert after == before  # every record field, field for field (decimal text kept: "12.345678", "0.50")
    assert after["京知罚〔2026〕1号"]["fine_10k_cny"] == "12.345678"
    assert after["京知罚〔2026〕1号"]["confiscated_10k_cny"] == "0.50"
    imported = store.read("MATCH (v:Violation) RETURN v.doc_number AS doc, v.source_published_until AS until")
    assert {r["doc"]: r["until"] for r in imported} == {d: f["published_until"] for d, f in before.items()}
    assert export(store, ExchangeKind.PENALTIES, on=DAY).rows == exported.rows  # holder, kind, legal rep too
    kinds = {r["行政处罚决定书文号"]: r["行政相对人类别"] for r in exported.rows}
    assert kinds["京知罚〔2026〕2号"] == "个体工商户" and kinds["京知罚〔2026〕3号"] == "自然人"

    again = load(store, reader_for("cn-penalty")(file), rejects_path=tmp_path / "rejects2.jsonl", batch_size=50)
    assert again.total.loaded == 0 and again.total.unchanged == again.total.read  # re-running changes nothing


def test_an_existing_holder_is_left_as_it_is(store: Store, tmp_path: Path) -> None:
    build(store, tmp_path / "a")
    file = tmp_path / "penalties.jsonl"
    with file.open("w", encoding="utf-8") as fh:
        found = export(store, ExchangeKind.PENALTIES, on=DAY)
        write([{**r, "行政相对人名称": "另一个名字"} for r in found.rows], found.columns, "jsonl", fh)
    load(store, reader_for("cn-penalty")(file), rejects_path=tmp_path / "rejects.jsonl", batch_size=50)
    names = store.read("MATCH (s:Subject {credit_code: $code}) RETURN s.name AS name", {"code": COMPANY})
    assert [r["name"] for r in names] == ["甲科技有限公司"]


def test_a_repair_is_in_the_export_the_moment_it_is_granted(store: Store, tmp_path: Path) -> None:
    build(store, tmp_path / "a")
    start = export(store, ExchangeKind.REPAIRS, on=DAY)
    assert start.rows == [] and start.head > 0
    granted = repair(store, RepairRequest(violation_uid="t:v2", actor="t", reason="penalty carried out", on=DAY))
    committed = time.perf_counter()
    found = export(store, ExchangeKind.REPAIRS, start.head, on=DAY)  # the very next export after the commit
    delay = time.perf_counter() - committed
    print(f"repair to availability in the export: {delay * 1000:.1f} ms (one read, no batch)")
    assert [r["行政处罚决定书文号"] for r in found.rows] == ["京知罚〔2026〕2号"], granted
    row = found.rows[0]
    assert row["repaired_on"] == row["publication_ended_on"] == DAY.isoformat()
    assert row["publication_end_reason"] == "repair" and row["统一社会信用代码"] == SHOP
    assert start.head < int(row["seq"] or 0) <= found.head
    assert export(store, ExchangeKind.REPAIRS, found.head, on=DAY).rows == []  # continuing: nothing new
    assert [r["行政处罚决定书文号"] for r in export(store, ExchangeKind.REPAIRS, on=DAY).rows] == ["京知罚〔2026〕2号"]
    # the level change the repair caused is in the levels export after the same sequence number
    levels = export(store, ExchangeKind.LEVELS, start.head, on=DAY).rows
    assert [(r["credit_code"], r["cause_kind"]) for r in levels] == [(SHOP, "workflow")]
    assert levels[0]["level"] != levels[0]["old_level"]


def test_exports_continue_from_the_sequence_they_print(store: Store, tmp_path: Path) -> None:
    build(store, tmp_path / "a")
    first = export(store, ExchangeKind.PENALTIES, on=DAY)
    assert export(store, ExchangeKind.PENALTIES, first.head, on=DAY).rows == []
    more = tmp_path / "b"
    more.mkdir()
    _write_jsonl(
        more / "violations.jsonl",
        [
            {
                "uid": "t:v9",
                "subject_uid": f"uscc:{COMPANY}",
                "behaviour_code": "CN_EVADE_PENALTY",
                "decided_on": _ago(5),
            }
        ],
    )
    settle(store, load(store, CanonicalReader("jsonl")(more), rejects_path=more / "rejects.jsonl", batch_size=5))
    new = export(store, ExchangeKind.PENALTIES, first.head, on=DAY)
    assert [r["违法行为类型"] for r in new.rows] == ["拒不履行行政处罚、行政裁决"] and new.head > first.head
    levels = export(store, ExchangeKind.LEVELS, on=DAY)
    assert [list(r) for r in levels.rows[:1]] == [exchange_format().levels.columns]
    assert [int(r["seq"] or 0) for r in levels.rows] == sorted(int(r["seq"] or 0) for r in levels.rows)
    lists = export(store, ExchangeKind.LISTS, on=DAY).rows
    assert {(r["list"], r["credit_code"]) for r in lists} >= {("serious", COMPANY), ("key-supervision", COMPANY)}
    assert all(r["list"] != "serious" or r["credit_code"] != SHOP for r in lists)


def test_the_public_export_holds_published_penalties_without_personal_data(store: Store, tmp_path: Path) -> None:
    build(store, tmp_path / "a")
    public = export(store, ExchangeKind.PENALTIES, mask=mask_name, on=DAY).rows
    docs = {r["行政处罚决定书文号"]: r for r in public}
    assert set(docs) == {"京知罚〔2026〕1号", "京知罚〔2026〕2号", "京知罚〔2026〕3号"}  # 2020's period is over
    assert docs["京知罚〔2026〕3号"]["行政相对人名称"] == "张**" and docs["京知罚〔2026〕1号"]["法定代表人"] == "李*"
    assert docs["京知罚〔2026〕1号"]["行政相对人名称"] == "甲科技有限公司"  # an organisation stays in full
    assert all(r["违法事实"] is None for r in public)
    for kind in (ExchangeKind.LEVELS, ExchangeKind.REPAIRS, ExchangeKind.LISTS):
        with pytest.raises(PublicExportError):
            export(store, kind, mask=mask_name, on=DAY)

    with TestClient(create_app(api_settings(), store=store)) as client:
        for syntax in ("jsonl", "csv"):
            shown = client.get("/exchange/penalties", params={"format": syntax})
            assert shown.status_code == 200 and shown.headers["x-exchange-last-seq"].isdigit()
            assert ID_NUMBER not in shown.text and "张三丰" not in shown.text and "李四" not in shown.text
            assert "京知罚〔2020〕9号" not in shown.text and "京知罚〔2026〕3号" in shown.text
        staff = client.get("/exchange/penalties", params={"format": "csv"}, headers=HEADERS["investigator"])
        table = list(csv.DictReader(io.StringIO(staff.text)))
        assert len(table) == 4 and list(table[0]) == FMT.columns
        assert {r["违法事实"] for r in table} >= {"张三丰 指使 申请 (a fact naming a person)"}
        assert ID_NUMBER not in staff.text.replace("身份证 110101199001011234 的申请人", "")  # only inside 违法事实
        refused = client.get("/exchange/repairs")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
        assert client.get("/exchange/levels", headers=HEADERS["investigator"]).status_code == 200
        after = int(staff.headers["x-exchange-last-seq"])
        assert client.get("/exchange/penalties", params={"since": after}, headers=HEADERS["investigator"]).text == ""


def _load_file(store: Store, path: Path, tmp_path: Path) -> tuple[LoadSummary, list[dict[str, Any]]]:
    rejects = tmp_path / "rejects.jsonl"
    summary = load(store, reader_for("cn-penalty")(path), rejects_path=rejects, batch_size=10)
    lines = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == summary.total.rejected
    for name, count in summary.kinds.items():  # nothing lost: every row loaded or rejected
        assert count.read == count.loaded + count.unchanged + count.rejected, name
    return summary, lines


def test_missing_columns_reject_every_row_with_the_columns_named(store: Store, tmp_path: Path) -> None:
    summary, rejects = _load_file(store, DATA / "missing_columns.csv", tmp_path)
    assert summary.count("violation").rejected == 2 and summary.total.loaded == 0
    assert [r["ref"] for r in rejects] == ["2", "3"]
    assert all("missing columns: 处罚依据, 处罚类别" in r["reason"] for r in rejects)


def test_unknown_behaviours_and_holder_kinds_are_rejected_beside_good_rows(store: Store, tmp_path: Path) -> None:
    summary, rejects = _load_file(store, DATA / "behaviours.jsonl", tmp_path)
    reasons = {r["ref"]: r["reason"] for r in rejects}
    assert set(reasons) == {"1", "4"}
    assert "unknown 违法行为类型 '乱扔垃圾'" in reasons["1"] and "行政相对人类别 must be one of" in reasons["4"]
    assert summary.count("violation").loaded == 2  # by code and by 中文 name
    found = store.read("MATCH (v:Violation) RETURN v.behaviour_code AS code, v.fine_10k_cny AS fine ORDER BY code")
    assert [(r["code"], r["fine"]) for r in found] == [
        ("CN_ABNORMAL_PATENT", "12.345678"),
        ("CN_MALICIOUS_TM", "12.345678"),
    ]


def test_a_wrong_credit_code_is_rejected_and_a_bom_is_read(store: Store, tmp_path: Path) -> None:
    summary, rejects = _load_file(store, DATA / "credit_codes.csv", tmp_path)
    assert [(r["ref"], r["kind"]) for r in rejects] == [("2", "violation")]
    assert "fails its check character" in rejects[0]["reason"] and summary.count("violation").loaded == 1
    summary, rejects = _load_file(store, DATA / "bom.csv", tmp_path)
    assert rejects == [] and summary.count("violation").loaded == 2
    holders = store.read(
        "MATCH (s:Subject)-[:COMMITTED]->(v:Violation) WHERE v.doc_number IN $docs "
        "RETURN s.name AS name, s:Person AS person, s.credit_code AS code ORDER BY name",
        {"docs": ["沪知罚〔2026〕10号", "沪知罚〔2026〕11号"]},
    )
    assert [(r["name"], r["person"], r["code"] is None) for r in holders] == [
        ("丁商行", False, False),
        ("王五", True, True),
    ]


def test_amounts_are_exact_decimal_text_never_floats() -> None:
    from loaders.adapters.cn_penalty import convert

    base = dict.fromkeys(FMT.columns) | {
        "行政相对人名称": "丙公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": COMPANY,
        "行政处罚决定书文号": "X1",
        "违法行为类型": "CN_FALSE_MATERIAL",
        "处罚决定日期": "2026-01-01",
    }
    from decimal import Decimal

    for given, kept in (("1.50", "1.50"), (Decimal("0.1"), "0.1"), (7, "7")):
        items = convert({**base, "罚款金额（万元）": given}, "t:1")
        assert [getattr(i, "fine_10k_cny", None) for i in items if hasattr(i, "fine_10k_cny")] == [kept]
    for bad in (0.1, "1,5", "-2", "1e3", "１２"):
        with pytest.raises(ValueError, match="罚款金额（万元）"):
            convert({**base, "罚款金额（万元）": bad}, "t:1")


def test_cli_export_prints_the_sequence_and_load_reads_it_back(
    store: Store, tmp_path: Path, neo4j_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_uri)
    get_settings.cache_clear()
    build(store, tmp_path / "a")
    runner = CliRunner()
    out = tmp_path / "p.csv"
    done = runner.invoke(app, ["export", "penalties", "--out", str(out), "--format", "csv", "--on", DAY.isoformat()])
    assert done.exit_code == 0, done.output
    last = int(done.output.split("last sequence: ")[1].split()[0])
    assert last > 0 and len(out.read_text(encoding="utf-8").splitlines()) == 5
    nothing = runner.invoke(app, ["export", "penalties", "--out", str(out), "--since", str(last), "--json"])
    assert json.loads(nothing.output)["rows"] == 0 and json.loads(nothing.output)["last_seq"] == last
    refused = runner.invoke(app, ["export", "levels", "--out", str(out), "--public"])
    assert refused.exit_code == 2
    runner.invoke(app, ["export", "penalties", "--out", str(out), "--format", "csv"])
    clear(store)
    loaded = runner.invoke(app, ["load", "cn-penalty", str(out), "--rejects", str(tmp_path / "r.jsonl"), "--json"])
    assert loaded.exit_code == 0, loaded.output
    assert json.loads(loaded.output.splitlines()[-1])["kinds"]["violation"]["loaded"] == 4
    get_settings.cache_clear()
