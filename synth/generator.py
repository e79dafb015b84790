"""A synthetic regulator-style dataset in the canonical format, with planted dishonesty rings.

Why: the real samples are small and hold no dishonesty records, so the loaders need volume to be
measured on and the credit model needs ground truth to be judged against. The shapes follow the
domain notes: filings per agency are heavy-tailed, business-centre addresses are shared by hundreds
of companies, holdings form chains and a few cycles, persons sit in several companies, and rings of
three kinds are planted with offenders and clean members strongly tied to them (`truth.jsonl`), and
one filing-mill agency that files only for the patent-split rings (for the agency evaluation cycle).

Output is streamed chunk by chunk (memory stays flat in the number of subjects) and depends only on
the seed: the same seed gives byte-identical files.
"""

from __future__ import annotations

import bisect
import csv
import itertools
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel

from graph.model import USCC_ALPHABET, USCC_WEIGHTS

# Behaviour codes of the planted violations (kept in step with the credit behaviour catalogue).
MALICIOUS_TM = "CN_MALICIOUS_TM"  # malicious trademark registration (serious)
ABNORMAL_PATENT = "CN_ABNORMAL_PATENT"  # abnormal patent application (general)
AGENCY_ILLEGAL = "CN_AGENCY_ILLEGAL"  # unlawful agency work (serious)
FALSE_MATERIAL = "CN_FALSE_MATERIAL"  # false materials (general)

RING_KINDS = ("shell_tm", "patent_split", "cert_hanging")

FILES: dict[str, tuple[str, ...]] = {
    "subjects": (
        "kind",
        "uid",
        "name",
        "aliases",
        "credit_code",
        "country",
        "registered_on",
        "status",
        "id_number",
        "birth_date",
        "nationality",
        "licence_no",
    ),
    "ties": ("kind", "start_uid", "end_uid", "ratio", "role", "relation", "since", "until"),
    "contacts": ("kind", "subject_uid", "value", "since", "until"),
    "patents": ("uid", "number", "title", "kind_code", "filed_on", "granted_on"),
    "trademarks": ("uid", "number", "name", "classes", "status", "filed_on", "registered_on"),
    "ip_links": ("kind", "subject_uid", "patent_uid", "trademark_uid"),
    "violations": (
        "uid",
        "subject_uid",
        "behaviour_code",
        "decided_on",
        "authority",
        "doc_number",
        "status",
        "description",
        "expires_on",
        "penalty_done_on",
        "patent_uid",
        "trademark_uid",
        "legal_basis",
        "penalty_type",
        "fine_10k_cny",
    ),
}

# --- vocabulary ---------------------------------------------------------------------------------

_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅鹏辉宇浩然子轩思雨欣怡博文俊杰志远"
_CITIES = (
    ("北京", "110108"),
    ("上海", "310115"),
    ("深圳", "440305"),
    ("广州", "440106"),
    ("杭州", "330106"),
    ("成都", "510107"),
    ("武汉", "420106"),
    ("南京", "320106"),
    ("苏州", "320505"),
    ("西安", "610113"),
)
_WORDS = "华盛鑫源恒通达瑞丰泰宏远海天信诚嘉禾德润中科创新智联星辰卓越博雅金鼎安康永兴东方"
_TRADES = ("科技", "贸易", "实业", "电子", "生物", "信息技术", "文化传媒", "新材料", "机械", "食品", "服饰", "医疗器械")
_STREETS = (
    "中关村大街",
    "人民路",
    "解放路",
    "科技园路",
    "建设大道",
    "滨江路",
    "高新大道",
    "长江路",
    "延安路",
    "深南大道",
)
_ROLES = ("董事", "监事", "经理", "董事长", "财务负责人")
_PATENT_TOPICS = ("装置", "方法", "系统", "组件", "电路", "材料", "设备", "结构", "工艺", "控制方法")
_PATENT_THINGS = ("散热", "充电", "包装", "清洗", "检测", "输送", "过滤", "固定", "照明", "加热", "传感", "切割")
_TM_SYLLABLES = ("美", "佳", "乐", "优", "酷", "潮", "尚", "品", "悦", "康", "宝", "星", "云", "果", "花", "蓝")
_AUTHORITIES = ("国家知识产权局", "北京市知识产权局", "上海市知识产权局", "广东省知识产权局", "浙江省市场监督管理局")

# The fixed "today" every generated date is relative to, so output does not depend on the clock; the
# demo evaluates as of this day (IPCREDIT_AS_OF), so planted records do not expire as the calendar moves.
ANCHOR = date(2026, 6, 30)


class SynthSummary(BaseModel):
    """What was written: rows per file and the number of planted rings and offenders."""

    out: str
    seed: int
    subjects: int
    rows: dict[str, int]
    rings: dict[str, int]
    offenders: int
    tied: int


# --- identifiers --------------------------------------------------------------------------------

_B31 = USCC_ALPHABET
_B31_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}


_PREFIX_SUMS: dict[str, int] = {}


def _credit_code(index: int, region: str, category: str = "91") -> str:
    """A well-formed unified social credit code, unique per index, with its check character
    (GB 32100-2015, as graph.model checks it; the weighted sum of the prefix is computed once)."""
    prefix = category + region
    total = _PREFIX_SUMS.get(prefix)
    if total is None:
        total = _PREFIX_SUMS[prefix] = sum(_B31_VALUE[ch] * w for ch, w in zip(prefix, USCC_WEIGHTS, strict=False))
    chars = [""] * 9
    n = index
    for k in range(8, -1, -1):
        n, r = divmod(n, 31)
        chars[k] = _B31[r]
        total += r * USCC_WEIGHTS[8 + k]
    return prefix + "".join(chars) + _B31[(31 - total % 31) % 31]


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(region: str, born: date, seq: int) -> str:
    """A resident ID number with the ISO 7064 MOD 11-2 check character (fictitious, not a real person)."""
    first17 = f"{region}{born:%Y%m%d}{seq % 1000:03d}"
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def _pick(rng: random.Random, seq: Sequence[Any]) -> Any:
    """`rng.choice`, without its overhead (the generator draws millions of times)."""
    return seq[int(rng.random() * len(seq))]


def _below(rng: random.Random, n: int) -> int:
    return int(rng.random() * n)


def _between(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low))


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


# --- writer -------------------------------------------------------------------------------------


class _Out:
    """The open CSV writers and the row counts, plus `truth.jsonl`."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._files: list[IO[str]] = []
        self.writers: dict[str, Any] = {}
        self.rows: dict[str, int] = dict.fromkeys(FILES, 0)
        for name, header in FILES.items():
            handle = (folder / f"{name}.csv").open("w", encoding="utf-8", newline="")
            self._files.append(handle)
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            self.writers[name] = writer
        self.truth = (folder / "truth.jsonl").open("w", encoding="utf-8", newline="\n")
        self._files.append(self.truth)
        self.rows["truth"] = 0

    def write(self, name: str, rows: Sequence[Sequence[Any]]) -> None:
        self.writers[name].writerows(rows)
        self.rows[name] += len(rows)

    def write_truth(self, lines: list[dict[str, Any]]) -> None:
        self.truth.write("".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines))
        self.rows["truth"] += len(lines)

    def close(self) -> None:
        for handle in self._files:
            handle.close()


@dataclass
class _Chunk:
    """Rows of one chunk, buffered so that each file gets one `writerows` call per chunk."""

    subjects: list[list[Any]] = field(default_factory=list)
    ties: list[list[Any]] = field(default_factory=list)
    contacts: list[list[Any]] = field(default_factory=list)
    patents: list[list[Any]] = field(default_factory=list)
    trademarks: list[list[Any]] = field(default_factory=list)
    ip_links: list[list[Any]] = field(default_factory=list)
    violations: list[list[Any]] = field(default_factory=list)
    truth: list[dict[str, Any]] = field(default_factory=list)

    def flush(self, out: _Out) -> None:
        for name in FILES:
            out.write(name, getattr(self, name))
        out.write_truth(self.truth)


# --- the generator ------------------------------------------------------------------------------


@dataclass
class _Plan:
    subjects: int
    agencies: int
    agents: int
    rings: list[str]
    chunks: int


def _plan(subjects: int, chunk_size: int) -> _Plan:
    if subjects < 50:
        raise ValueError(f"--subjects must be at least 50 (got {subjects})")
    agencies = max(2, subjects // 500)
    agents = max(agencies, subjects // 120)
    n_rings = 0 if subjects < 150 else max(3, subjects // 3000)
    rings = [RING_KINDS[i % len(RING_KINDS)] for i in range(n_rings)]
    background = subjects - agencies - agents - 20 * n_rings  # a ring has at most 20 subjects (see _ring_*)
    if background < 10:
        raise ValueError(f"--subjects must be at least 50 (got {subjects})")
    chunks = max(1, -(-background // chunk_size))
    return _Plan(subjects, agencies, agents, rings, chunks)


class _Generator:
    """Writes one dataset; counters give every row a stable id, the seed fixes every choice."""

    def __init__(self, out: _Out, seed: int, plan: _Plan) -> None:
        self.out = out
        self.seed = seed
        self.plan = plan
        self.n = dict.fromkeys(("company", "person", "agency", "agent", "patent", "trademark", "violation"), 0)
        self.written_subjects = 0
        self.ring_counts: dict[str, int] = dict.fromkeys(RING_KINDS, 0)
        self.offenders = 0
        self.tied = 0
        # heavy-tailed market share of agencies (Zipf, exponent 1.1): filings and agents follow it
        weights = [1 / (i + 1) ** 1.1 for i in range(plan.agencies)]
        self.agency_cum = list(itertools.accumulate(weights))
        self.agency_uids: list[str] = []
        self.agency_agents: list[list[str]] = []
        # business centres: one address shared by hundreds of companies
        self.centres = [
            f"{_CITIES[i % len(_CITIES)][0]}市{_STREETS[i * 3 % len(_STREETS)]}{100 + i}号商务中心"
            for i in range(max(1, plan.subjects // 4000))
        ]
        self.recent_companies: list[str] = []  # clients for the agency of a certificate-hanging ring
        self.mill = 0  # the planted filing mill's index among the agencies (set by `pools`)

    # ids ----------------------------------------------------------------------------------------

    def _next(self, kind: str) -> int:
        value = self.n[kind]
        self.n[kind] = value + 1
        return value

    def _rng(self, *parts: object) -> random.Random:
        return random.Random("/".join(str(p) for p in (self.seed, *parts)))

    # subjects -----------------------------------------------------------------------------------

    def _company(self, c: _Chunk, rng: random.Random, kind: str = "company", name: str | None = None) -> str:
        index = self._next("company")  # agencies draw from the same code space
        city, region = _CITIES[index % len(_CITIES)]
        code = _credit_code(index, region)
        uid = f"uscc:{code}"
        if name is None:
            trade = _pick(rng, _TRADES)
            words = "".join(rng.choices(_WORDS, k=2))
            name = f"{city}{words}{trade}有限公司" if kind == "company" else f"{city}{words}知识产权代理有限公司"
        registered = ANCHOR - timedelta(days=_between(rng, 200, 9000))
        licence = f"{region[:2]}{index:06d}" if kind == "agency" else ""
        if kind == "agency":
            self.n["agency"] += 1
        c.subjects.append([kind, uid, name, "", code, "CN", _day(registered), "存续", "", "", "", licence])
        self.written_subjects += 1
        return uid

    def _person(self, c: _Chunk, rng: random.Random, kind: str = "person") -> str:
        index = self._next("agent" if kind == "agent" else "person")
        uid = f"synth-{kind}:{index:07d}"
        name = _pick(rng, _SURNAMES) + "".join(rng.choices(_GIVEN, k=_pick(rng, (1, 2))))
        region = _CITIES[_below(rng, len(_CITIES))][1]
        born = date(1950, 1, 1) + timedelta(days=_between(rng, 0, 18000))
        id_number = _id_number(region, born, index) if rng.random() < 0.7 else ""
        licence = f"{region[:2]}{index:05d}" if kind == "agent" else ""
        c.subjects.append([kind, uid, name, "", "", "", "", "", id_number, _day(born), "CN", licence])
        self.written_subjects += 1
        return uid

    def _truth(self, c: _Chunk, uid: str, ring: str | None, ring_kind: str | None, role: str) -> None:
        risky = role in ("offender", "tied")
        c.truth.append({"uid": uid, "ring": ring, "ring_kind": ring_kind, "role": role, "expected_risky": risky})
        if role == "offender":
            self.offenders += 1
        elif role == "tied":
            self.tied += 1

    def _contacts(self, c: _Chunk, rng: random.Random, uid: str, shared_phone: str | None = None) -> None:
        if self.centres and rng.random() < 0.15:
            address = self.centres[_below(rng, len(self.centres))]
        else:
            city = _CITIES[_below(rng, len(_CITIES))][0]
            address = f"{city}市{_pick(rng, _STREETS)}{_between(rng, 1, 3000)}号{_between(rng, 1, 30)}层"
        c.contacts.append(["address", uid, address, "", ""])
        phone = shared_phone or f"0{_between(rng, 10, 999)}-{_between(rng, 10_000_000, 99_999_999)}"
        c.contacts.append(["phone", uid, phone, "", ""])
        if rng.random() < 0.3:
            c.contacts.append(["email", uid, f"info{_below(rng, 10**6)}@{uid[-6:].lower()}.example.cn", "", ""])

    # filings ------------------------------------------------------------------------------------

    def _agency(self, rng: random.Random) -> int:
        return bisect.bisect_left(self.agency_cum, rng.random() * self.agency_cum[-1])

    def _represent(self, c: _Chunk, rng: random.Random, agency: int, right: str, patent: bool) -> None:
        agents = self.agency_agents[agency]
        col = [self.agency_uids[agency], right, ""] if patent else [self.agency_uids[agency], "", right]
        c.ip_links.append(["represents", *col])
        agent = agents[_below(rng, len(agents))]
        c.ip_links.append(["represents", agent, *col[1:]])

    def _patent(self, c: _Chunk, rng: random.Random, applicants: list[str], inventors: list[str], title: str) -> str:
        index = self._next("patent")
        uid = f"synth-patent:{index:08d}"
        filed = ANCHOR - timedelta(days=_between(rng, 30, 3000))
        kind_code = _pick(rng, ("A", "U", "S"))
        granted = filed + timedelta(days=_between(rng, 180, 900)) if rng.random() < 0.6 else None
        if granted and granted > ANCHOR:
            granted = None
        number = f"CN{filed.year}1{index % 10**7:07d}"
        c.patents.append([uid, number, title, kind_code, _day(filed), _day(granted)])
        c.ip_links.extend(["applicant", a, uid, ""] for a in applicants)
        c.ip_links.extend(["inventor", p, uid, ""] for p in inventors)
        return uid

    def _trademark(self, c: _Chunk, rng: random.Random, applicant: str) -> str:
        index = self._next("trademark")
        uid = f"synth-trademark:{index:08d}"
        filed = ANCHOR - timedelta(days=_between(rng, 30, 3000))
        registered = filed + timedelta(days=_between(rng, 270, 600))
        status = "registered" if registered <= ANCHOR else "pending"
        name = "".join(rng.choices(_TM_SYLLABLES, k=_pick(rng, (2, 3))))
        classes = "|".join(str(k) for k in sorted(rng.sample(range(1, 46), k=_pick(rng, (1, 1, 2, 3)))))
        reg = _day(registered) if status == "registered" else ""
        c.trademarks.append([uid, f"{60_000_000 + index}", name, classes, status, _day(filed), reg])
        c.ip_links.append(["applicant", applicant, "", uid])
        return uid

    def _patent_title(self, rng: random.Random) -> str:
        return f"一种{_pick(rng, _PATENT_THINGS)}{_pick(rng, _PATENT_TOPICS)}"

    def _filings(self, c: _Chunk, rng: random.Random, company: str, persons: list[str]) -> None:
        """Heavy-tailed: most companies file nothing, a few file hundreds; one agency per company."""
        if rng.random() > 0.25:
            return
        agency = self._agency(rng)
        n_patents = min(300, int(rng.paretovariate(1.3))) if rng.random() < 0.5 else 0
        n_marks = min(300, int(rng.paretovariate(1.2))) if rng.random() < 0.7 else 0
        for _ in range(n_patents):
            inventors = [persons[_below(rng, len(persons))] for _ in range(_pick(rng, (1, 1, 2, 3)))]
            uid = self._patent(c, rng, [company], sorted(set(inventors)), self._patent_title(rng))
            self._represent(c, rng, agency, uid, patent=True)
        for _ in range(n_marks):
            uid = self._trademark(c, rng, company)
            self._represent(c, rng, agency, uid, patent=False)

    def _violation(
        self,
        c: _Chunk,
        rng: random.Random,
        subject: str,
        code: str,
        status: str,
        patent: str = "",
        trademark: str = "",
    ) -> None:
        index = self._next("violation")
        if status == "in_force":
            decided = ANCHOR - timedelta(days=_between(rng, 10, 300))
            expires = decided + timedelta(days=3 * 365 if code in (MALICIOUS_TM, AGENCY_ILLEGAL) else 365)
        else:
            decided = ANCHOR - timedelta(days=_between(rng, 1200, 2500))
            expires = decided + timedelta(days=365)
        authority = _pick(rng, _AUTHORITIES)
        doc = f"知罚字〔{decided.year}〕{index + 1}号"
        done = _day(decided + timedelta(days=60)) if status != "in_force" else ""
        c.violations.append(
            [
                f"synth-violation:{index:07d}",
                subject,
                code,
                _day(decided),
                authority,
                doc,
                status,
                "",
                _day(expires),
                done,
                patent,
                trademark,
                "《专利法》第六十八条" if code == ABNORMAL_PATENT else "《商标法》第六十八条",
                "罚款",
                f"{index % 50 + 1}.{index * 7 % 100:02d}",  # 万元 as decimal text (no draw: the stream stays as it was)
            ]
        )

    # pools --------------------------------------------------------------------------------------

    def pools(self) -> None:
        """Agencies and the agents attached to them (bigger agencies hold more agents)."""
        c = _Chunk()
        rng = self._rng("pools")
        for _ in range(self.plan.agencies):
            uid = self._company(c, rng, kind="agency")
            self.agency_uids.append(uid)
            self.agency_agents.append([])
            self._contacts(c, rng, uid)
            self._truth(c, uid, None, None, "clean")
        for i in range(self.plan.agents):
            uid = self._person(c, rng, kind="agent")
            agency = i if i < self.plan.agencies else self._agency(rng)
            self.agency_agents[agency].append(uid)
            c.ties.append(["agent_of", uid, self.agency_uids[agency], "", "", "", "", ""])
            self._truth(c, uid, None, None, "clean")
        # a planted bad agency (a filing mill): one agent, outside the market draw, filing only for the
        # patent-split rings, so most of its filings are tied to records (the agency cycle's indicators)
        self.mill = len(self.agency_uids)
        uid, agent = self._company(c, rng, kind="agency"), self._person(c, rng, kind="agent")
        self.agency_uids.append(uid)
        self.agency_agents.append([agent])
        c.ties.append(["agent_of", agent, uid, "", "", "", "", ""])
        self._contacts(c, rng, uid)
        self._truth(c, uid, None, None, "clean")
        self._truth(c, agent, None, None, "clean")
        c.flush(self.out)

    # background ---------------------------------------------------------------------------------

    def background(self, c: _Chunk, rng: random.Random, count: int) -> None:
        """Ordinary companies and persons: legal reps, shareholders, officers, chains, a cycle, branches."""
        if count <= 0:
            return
        n_persons = count if count < 3 else count * 48 // 100
        persons = [self._person(c, rng) for _ in range(n_persons)]
        for uid in persons:
            self._truth(c, uid, None, None, "clean")
        companies: list[str] = []
        # persons are drawn with a heavy tail: a few sit in many companies
        serial = max(1, min(50, n_persons // 100))  # a few persons sit in dozens of companies

        def someone() -> str:
            pool = serial if rng.random() < 0.1 else n_persons
            return persons[int(rng.random() * pool)]

        for _ in range(count - n_persons):
            uid = self._company(c, rng)
            self._truth(c, uid, None, None, "clean")
            since = _day(ANCHOR - timedelta(days=_between(rng, 100, 5000)))
            c.ties.append(["legal_rep", someone(), uid, "", "", "", since, ""])
            # shareholders: persons, and with some chance an earlier company (holding chains)
            holders = {someone() for _ in range(_pick(rng, (1, 1, 2, 3)))}
            if companies and rng.random() < 0.3:
                holders.add(companies[-1 - _below(rng, min(len(companies), 5))])
            cuts = sorted(rng.random() for _ in range(len(holders) - 1))
            shares = [b - a for a, b in zip([0.0, *cuts], [*cuts, 1.0], strict=True)]
            for holder, share in zip(sorted(holders), shares, strict=True):
                ratio = max(0.01, round(share, 4))
                c.ties.append(["shareholder", holder, uid, f"{ratio}", "", "", since, ""])
            for _ in range(_pick(rng, (0, 1, 1, 2))):
                c.ties.append(["officer", someone(), uid, "", _pick(rng, _ROLES), "", since, ""])
            if companies and rng.random() < 0.03:
                c.ties.append(["branch", uid, companies[_below(rng, len(companies))], "", "", "", since, ""])
            self._contacts(c, rng, uid)
            self._filings(c, rng, uid, persons)
            if rng.random() < 0.005:  # an old record that no longer counts: a model must ignore it
                status = _pick(rng, ("expired", "repaired", "revoked"))
                self._violation(c, rng, uid, _pick(rng, (FALSE_MATERIAL, ABNORMAL_PATENT)), status)
            companies.append(uid)
        if companies:
            self.recent_companies = companies[-50:]
        # a circular holding: A -> B -> C -> A with minority stakes
        if len(companies) >= 3:
            a, b, d = rng.sample(companies, 3)
            for holder, held in ((a, b), (b, d), (d, a)):
                c.ties.append(["shareholder", holder, held, f"{round(rng.uniform(0.05, 0.3), 4)}", "", "", "", ""])
        for _ in range(n_persons // 200 if n_persons >= 2 else 0):
            p, q = rng.sample(persons, 2)
            c.ties.append(["family", p, q, "", "", _pick(rng, ("配偶", "父子", "兄弟")), "", ""])

    # rings --------------------------------------------------------------------------------------

    def ring(self, c: _Chunk, index: int, kind: str) -> None:
        rng = self._rng("ring", index)
        ring_id = f"ring-{index:04d}"
        self.ring_counts[kind] += 1
        {"shell_tm": self._ring_shell, "patent_split": self._ring_split, "cert_hanging": self._ring_hanging}[kind](
            c, rng, ring_id, kind
        )

    def _ring_shell(self, c: _Chunk, rng: random.Random, ring: str, kind: str) -> None:
        """Shell companies sharing one phone, one address and one agency, filing trademarks in bulk.

        Some shells hold a malicious-filing violation; the legal rep of each offender, and a company an
        offender holds 60% of, are tied; the other shells share only contact points (suspected ties).
        At most 2 * 9 + 1 subjects.
        """
        shells = rng.randint(5, 9)
        offenders = set(rng.sample(range(shells), k=max(1, shells // 3)))
        phone = f"0{_between(rng, 10, 999)}-{_between(rng, 10_000_000, 99_999_999)}"
        address = f"{_pick(rng, _CITIES)[0]}市{_pick(rng, _STREETS)}{_between(rng, 1, 3000)}号{_between(rng, 1, 99)}室"
        agency = self._agency(rng)
        first_offender_rep = ""
        first_offender = ""
        for i in range(shells):
            rep = self._person(c, rng)
            shell = self._company(c, rng)
            c.ties.append(["legal_rep", rep, shell, "", "", "", "", ""])
            c.ties.append(["shareholder", rep, shell, "1", "", "", "", ""])
            c.contacts.append(["address", shell, address, "", ""])
            c.contacts.append(["phone", shell, phone, "", ""])
            marks = [self._trademark(c, rng, shell) for _ in range(rng.randint(20, 80))]
            for mark in marks:
                self._represent(c, rng, agency, mark, patent=False)
            if i in offenders:
                self._violation(c, rng, shell, MALICIOUS_TM, "in_force", trademark=marks[0])
                self._truth(c, shell, ring, kind, "offender")
                self._truth(c, rep, ring, kind, "tied")
                if not first_offender:
                    first_offender, first_offender_rep = shell, rep
            else:
                self._truth(c, shell, ring, kind, "clean")
                self._truth(c, rep, ring, kind, "clean")
        sub = self._company(c, rng)
        c.ties.append(["shareholder", first_offender, sub, "0.6", "", "", "", ""])
        c.ties.append(["legal_rep", first_offender_rep, sub, "", "", "", "", ""])
        self._contacts(c, rng, sub)
        self._truth(c, sub, ring, kind, "tied")

    def _ring_split(self, c: _Chunk, rng: random.Random, ring: str, kind: str) -> None:
        """One invention split across sister companies held >= 50% by one parent, same inventors.

        Offenders hold an abnormal-patent violation; the parent (majority holder) and the offenders'
        legal reps are tied; the parent's legal rep and the other sisters are two hops away (clean).
        At most 2 + 2 * 6 + 4 subjects.
        """
        parent = self._company(c, rng)
        parent_rep = self._person(c, rng)
        c.ties.append(["legal_rep", parent_rep, parent, "", "", "", "", ""])
        c.ties.append(["shareholder", parent_rep, parent, "1", "", "", "", ""])
        self._contacts(c, rng, parent)
        inventors = [self._person(c, rng) for _ in range(rng.randint(2, 4))]
        sisters = rng.randint(3, 6)
        offenders = set(rng.sample(range(sisters), k=max(1, sisters // 2)))
        agency = self.mill
        topic = self._patent_title(rng)
        for i in range(sisters):
            sister = self._company(c, rng)
            rep = self._person(c, rng)
            c.ties.append(["legal_rep", rep, sister, "", "", "", "", ""])
            c.ties.append(["shareholder", parent, sister, f"{_pick(rng, (0.51, 0.6, 0.8, 1.0))}", "", "", "", ""])
            self._contacts(c, rng, sister)
            patents = []
            for j in range(rng.randint(5, 15)):
                uid = self._patent(c, rng, [sister], inventors, f"{topic}（{j + 1}）")
                self._represent(c, rng, agency, uid, patent=True)
                patents.append(uid)
            if i in offenders:
                self._violation(c, rng, sister, ABNORMAL_PATENT, "in_force", patent=patents[0])
                self._truth(c, sister, ring, kind, "offender")
                self._truth(c, rep, ring, kind, "tied")
            else:
                self._truth(c, sister, ring, kind, "clean")
                self._truth(c, rep, ring, kind, "clean")
        self._truth(c, parent, ring, kind, "tied")
        self._truth(c, parent_rep, ring, kind, "clean")
        for p in inventors:
            self._truth(c, p, ring, kind, "clean")

    def _ring_hanging(self, c: _Chunk, rng: random.Random, ring: str, kind: str) -> None:
        """Certificate hanging: a licensed agent lends the qualification to an agency whose controller
        has none. Agency and agent hold unlawful-agency violations; the controller (legal rep and sole
        shareholder) and an officer are tied. The agency files for clients under the agent's name.
        4 subjects.
        """
        controller = self._person(c, rng)
        agency = self._company(c, rng, kind="agency")
        agent = self._person(c, rng, kind="agent")
        officer = self._person(c, rng)
        c.ties.append(["legal_rep", controller, agency, "", "", "", "", ""])
        c.ties.append(["shareholder", controller, agency, "1", "", "", "", ""])
        c.ties.append(["officer", officer, agency, "", "监事", "", "", ""])
        c.ties.append(["agent_of", agent, agency, "", "", "", "", ""])
        self._contacts(c, rng, agency)
        client = self.recent_companies
        marks = []
        for _ in range(rng.randint(10, 40)):
            mark = self._trademark(c, rng, client[_below(rng, len(client))] if client else agency)
            c.ip_links.append(["represents", agency, "", mark])
            c.ip_links.append(["represents", agent, "", mark])
            marks.append(mark)
        self._violation(c, rng, agency, AGENCY_ILLEGAL, "in_force", trademark=marks[0])
        self._violation(c, rng, agent, AGENCY_ILLEGAL, "in_force", trademark=marks[0])
        self._truth(c, agency, ring, kind, "offender")
        self._truth(c, agent, ring, kind, "offender")
        self._truth(c, controller, ring, kind, "tied")
        self._truth(c, officer, ring, kind, "tied")

    # run ----------------------------------------------------------------------------------------

    def run(self) -> None:
        self.pools()
        plan = self.plan
        n_rings = len(plan.rings)
        chunk_of = [r * plan.chunks // n_rings for r in range(n_rings)]
        for k in range(plan.chunks):
            c = _Chunk()
            # room is kept for the rings still to come (at most 20 subjects each); what they leave
            # unused goes to later chunks, and a last top-up makes the total exactly `subjects`
            later = sum(1 for chunk in chunk_of if chunk >= k)
            budget = plan.subjects - self.written_subjects - 20 * later
            own = [r for r in range(n_rings) if chunk_of[r] == k]
            self.background(c, self._rng("chunk", k), budget // (plan.chunks - k))
            for r in own:
                self.ring(c, r, plan.rings[r])
            c.flush(self.out)
        if self.written_subjects < plan.subjects:
            c = _Chunk()
            self.background(c, self._rng("top-up"), plan.subjects - self.written_subjects)
            c.flush(self.out)


def generate(out: Path, subjects: int, seed: int = 0, chunk_size: int = 20_000) -> SynthSummary:
    """Write a synthetic dataset of exactly `subjects` subjects to `out` (the canonical CSV layout)."""
    plan = _plan(subjects, chunk_size)
    writer = _Out(out)
    gen = _Generator(writer, seed, plan)
    try:
        gen.run()
    finally:
        writer.close()
    return SynthSummary(
        out=str(out),
        seed=seed,
        subjects=gen.written_subjects,
        rows=writer.rows,
        rings=gen.ring_counts,
        offenders=gen.offenders,
        tied=gen.tied,
    )
