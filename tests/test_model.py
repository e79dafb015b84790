"""Model validation. Credit-code check characters are computed here from the standard's own
definition (GB 32100-2015: weights 3^i mod 31 over a 31-character alphabet), independently of
`graph.model`, so a wrong table there would fail these tests."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from graph.identity import is_opaque
from graph.model import Company, Email, Person, Phone, Shareholding, Violation, contact_uid, normalize_name, person_uid

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def check_char(first17: str) -> str:
    weights = [pow(3, i, 31) for i in range(17)]  # the standard's weights are 3^(i) mod 31
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, weights, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


BODIES = ["91110108MA01ABCD1", "92330106MA2H00000", "11100000000013127", "5144000045667987X"]


@pytest.mark.parametrize("body", BODIES)
def test_valid_credit_codes_are_accepted(body: str) -> None:
    code = body + check_char(body)
    company = Company(uid=f"uscc:{code}", name="测试公司", credit_code=code, source="t", source_ref="1")
    assert company.credit_code == code


@pytest.mark.parametrize("body", BODIES)
def test_wrong_check_character_is_rejected(body: str) -> None:
    right = check_char(body)
    wrong = next(c for c in ALPHABET if c != right)
    with pytest.raises(ValidationError, match="check character"):
        Company(uid="c:1", name="x", credit_code=body + wrong, source="t", source_ref="1")


@pytest.mark.parametrize("code", ["91110108MA01ABCD1", "9111010800000000IO", "91110108MA01ABCD1X9", "", "９１１１"])
def test_malformed_credit_codes_are_rejected(code: str) -> None:
    with pytest.raises(ValidationError):
        Company(uid="c:1", name="x", credit_code=code, source="t", source_ref="1")


def test_full_width_credit_code_is_normalised() -> None:
    body = "91110108MA01ABCD1"
    code = body + check_char(body)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    company = Company(uid="c:1", name="x", credit_code=full_width, source="t", source_ref="1")
    assert company.credit_code == code


def test_names_normalise_width_spacing_and_case() -> None:
    assert normalize_name("ＡＢＣ　 Ｃｏ．，Ｌｔｄ") == normalize_name("abc co.,ltd")
    assert normalize_name("北京（某某）科技有限公司") == "北京(某某)科技有限公司"
    person = Person(uid="p:1", name="  Zhang   San ", aliases=["ＺＨＡＮＧ San"], source="t", source_ref="1")
    assert person.name == "  Zhang   San "  # stored as given
    assert person.name_norm == "zhang san" and person.aliases_norm == ["zhang san"]


@pytest.mark.parametrize("name", ["\t", "tab\tname", "new\nline", "bell\x07", "   "])
def test_names_refuse_control_characters_and_blanks(name: str) -> None:
    with pytest.raises(ValidationError):
        Person(uid="p:1", name=name, source="t", source_ref="1")


def test_year_and_year_month_dates_keep_their_precision() -> None:
    person = Person(uid="p:1", name="P", birth_date="1965", source="t", source_ref="1")
    assert person.birth_date == date(1965, 1, 1) and person.partial_dates == ["birth_date=1965"]
    tie = Shareholding(start_uid="p:1", end_uid="c:1", since="2005-09", until="2007", source="t", source_ref="1")
    assert (tie.since, tie.until) == (date(2005, 9, 1), date(2007, 1, 1))
    assert tie.partial_dates == ["since=2005-09", "until=2007"]


def test_control_characters_in_names_are_rejected() -> None:
    with pytest.raises(ValidationError, match="control"):
        Person(uid="p:1", name="bad\x00name", source="t", source_ref="1")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2022-03-16", date(2022, 3, 16)),
        ("20220316", date(2022, 3, 16)),
        ("111.03.16", date(2022, 3, 16)),
        ("2022年3月16日", date(2022, 3, 16)),
        ("2022-03-16T10:00:00", date(2022, 3, 16)),
    ],
)
def test_dates_in_registry_forms(raw: str, expected: date) -> None:
    violation = Violation(uid="v:1", behaviour_code="CN_ABNORMAL_PATENT", decided_on=raw, source="t", source_ref="1")
    assert violation.decided_on == expected


@pytest.mark.parametrize("raw", ["2023-02-30", "yesterday", "1066-10-14", "2023-13-01"])
def test_impossible_dates_are_rejected(raw: str) -> None:
    with pytest.raises(ValidationError):
        Violation(uid="v:1", behaviour_code="X", decided_on=raw, source="t", source_ref="1")


def test_violation_needs_a_decision_date() -> None:
    with pytest.raises(ValidationError, match="decided"):
        Violation(uid="v:1", behaviour_code="X", decided_on=None, source="t", source_ref="1")


@pytest.mark.parametrize(("raw", "ratio"), [("0.3", 0.3), ("30%", 0.3), (30, 0.3), ("100", 1.0), (0.05, 0.05)])
def test_share_ratio_forms(raw: object, ratio: float) -> None:
    link = Shareholding(start_uid="p:1", end_uid="c:1", ratio=raw, source="t", source_ref="1")
    assert link.ratio == pytest.approx(ratio)


@pytest.mark.parametrize("raw", ["0", "-5", "150", "abc"])
def test_bad_share_ratios_are_rejected(raw: str) -> None:
    with pytest.raises(ValidationError):
        Shareholding(start_uid="p:1", end_uid="c:1", ratio=raw, source="t", source_ref="1")


def test_contact_points_key_by_normalised_value() -> None:
    a = Phone(value="010-8888 1234", source="t", source_ref="1")
    b = Phone(value="０１０８８８８１２３４", source="t", source_ref="2")
    assert a.uid == b.uid == contact_uid("phone", "01088881234") and a.value == "01088881234"
    email = Email(value=" Info@Example.COM ", source="t", source_ref="1")
    assert email.uid == contact_uid("email", "info@example.com")
    # uids carry no personal data: a keyed hash, not the number or the address
    for uid in (a.uid, email.uid, person_uid("uspto-person", "D656394", "kenneth-c-smith")):
        assert is_opaque(uid) and "0108888" not in uid and "example" not in uid and "smith" not in uid
    assert a.uid != contact_uid("phone", "01088881235")
    with pytest.raises(ValidationError, match="email"):
        Email(value="not-an-email", source="t", source_ref="1")
    with pytest.raises(ValidationError):
        Phone(value="12", source="t", source_ref="1")
