"""Why a subject's level is what it is, in sentences a reader of the credit report can quote.

A pure function of the evaluation and the behaviour catalogue. The sentences are message-catalogue
templates with named placeholders (`api/i18n/locale/*/messages.po`), filled here; the reader's language
comes in as a `Translator`, so this module knows no catalogue, no request and no store. Behaviour and
measure names come from the TOML files (one home per name), never from the catalogue.
"""

from __future__ import annotations

from typing import Protocol

from credit.grading import Evaluation
from credit.policy import Policy, Severity


class Translator(Protocol):
    """The reader's language (`api.i18n.Lang` is one)."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...

    def name(self, zh: str, en: str) -> str: ...


def behaviour_name(policy: Policy, code: str, t: Translator) -> str:
    """The behaviour's name in the reader's language; the code itself when the catalogue lacks it."""
    found = policy.catalogue.get(code)
    return t.name(found.name_zh, found.name_en) if found is not None else code


def _points(value: float) -> str:
    return f"{value:g}"


def _listed(items: list[str], separator: str) -> str:
    return separator.join(items)


def level_sentences(evaluation: Evaluation, policy: Policy, t: Translator) -> list[str]:
    """The level, the own records and the linked dishonest subjects behind it, and any override."""
    _ = t.gettext
    ev = evaluation
    out = [
        _("The subject's credit level is %(level)s, with a score of %(score)s (base %(base)s).")
        % {"level": ev.level, "score": _points(ev.score), "base": _points(ev.base_score)}
    ]
    counted = [r for r in ev.records if r.counted and r.deduction > 0]
    if counted:
        names = _listed(sorted({t.name(r.name_zh, r.name_en) for r in counted}), _(", "))
        out.append(
            t.ngettext(
                "It holds %(num)d dishonesty record in force (%(names)s), which takes off %(points)s points.",
                "It holds %(num)d dishonesty records in force (%(names)s), which take off %(points)s points.",
                len(counted),
            )
            % {"num": len(counted), "names": names, "points": _points(ev.own_deduction)}
        )
    else:
        out.append(_("It holds no dishonesty record in force."))
    linked = [c for c in ev.chains if c.counted]
    offenders: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for c in linked:
        labels[c.chain.offender_uid] = c.chain.offender_name or c.chain.offender_uid
        offenders.setdefault(c.chain.offender_uid, set()).add(
            behaviour_name(policy, c.chain.violation.behaviour_code, t)
        )
    if offenders:
        who = _listed(
            [
                _("%(subject)s: %(behaviours)s")
                % {"subject": labels[uid], "behaviours": _listed(sorted(names), _(", "))}
                for uid, names in sorted(offenders.items(), key=lambda item: labels[item[0]])
            ],
            _("; "),
        )
        out.append(
            t.ngettext(
                "It is linked through related-party chains to %(num)d dishonest subject (%(who)s), "
                "which takes off %(points)s points.",
                "It is linked through related-party chains to %(num)d dishonest subjects (%(who)s), "
                "which take off %(points)s points.",
                len(offenders),
            )
            % {"num": len(offenders), "who": who, "points": _points(ev.linked_deduction)}
        )
        if ev.linked_cap_reached:
            out.append(_("The linked-risk deduction reached the policy's cap."))
    else:
        out.append(_("No related party within the policy's hop limit holds a record in force."))
    if ev.level != ev.level_by_score:
        serious = [r for r in counted if r.severity == Severity.SERIOUS.value]
        if serious:
            out.append(
                _("A serious dishonesty record in force (%(names)s) sets the level to %(level)s whatever the score.")
                % {
                    "names": _listed(sorted({t.name(r.name_zh, r.name_en) for r in serious}), _(", ")),
                    "level": policy.veto.serious_level,
                }
            )
        if len(ev.overrides) > len(serious):  # the others are the time-order rule's
            out.append(
                _(
                    "A control tie formed after a related party's serious record caps the level at %(level)s "
                    "(time order)."
                )
                % {"level": policy.time_order.cap_level}
            )
        out.append(_("By the score alone the level would be %(level)s.") % {"level": ev.level_by_score})
    return out
