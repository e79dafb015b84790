"""The interface language: Simplified Chinese by default, English on request.

Translations are gettext message catalogues kept as PO files (`api/i18n/locale/<locale>/LC_MESSAGES/
messages.po`, msgids in English, extracted with `pybabel extract -F babel.cfg`). They are compiled in
memory with Babel when first used, so no build output is kept in the tree. A page's language is, in
order: `?lang=`, the cookie the switch sets, the browser's `Accept-Language` (negotiated by Babel), and
Simplified Chinese. The CLI reads `IPCREDIT_LANG`, then `LANG`, with the same default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "zh_Hans"
LOCALES: tuple[str, ...] = ("zh_Hans", "en")
COOKIE = "ipcredit_lang"
# what each locale is called in a `lang` query value, a cookie and `<html lang>`
SHORT: Mapping[str, str] = {"zh_Hans": "zh", "en": "en"}
HTML_LANG: Mapping[str, str] = {"zh_Hans": "zh-CN", "en": "en"}


@cache
def translations(locale: str) -> Translations:
    """The catalogue of `locale`, read from its PO file and compiled in memory once per process."""
    path = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def parse_locale(value: str | None) -> str | None:
    """The supported locale a `lang` value, cookie or locale name stands for (`zh`, `zh-CN`, `zh_Hans`,
    `en-GB`, `en_US.UTF-8`), or None when it names none of them."""
    if not value:
        return None
    text = value.split(".")[0].split("@")[0].strip()
    if text.upper() in ("C", "POSIX"):  # the POSIX "no locale", which Babel reads as en_US_POSIX
        return None
    try:
        parsed = Locale.parse(text.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    if parsed.language == "zh":
        # Traditional-script regions read Simplified before English; the catalogue is Simplified
        return "zh_Hans"
    return "en" if parsed.language == "en" else None


def _accepted(header: str) -> list[str]:
    """The language tags of an `Accept-Language` header, most preferred first (q=0 dropped)."""
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, number = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if tag.strip() and tag.strip() != "*" and quality > 0:
            weighted.append((-quality, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def from_accept_language(header: str | None) -> str | None:
    """The supported locale the browser prefers most, negotiated by Babel, or None."""
    if not header:
        return None
    for tag in _accepted(header):
        found = Locale.negotiate([tag], ["zh", "en"], sep="-")
        if found is not None:
            return parse_locale(str(found))
    return None


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: the query's `lang`, then the switch's cookie, then `Accept-Language`, then zh."""
    return parse_locale(query) or parse_locale(cookie) or from_accept_language(accept_language) or DEFAULT


def cli_locale(environ: Mapping[str, str] | None = None) -> str:
    """The CLI's language: `IPCREDIT_LANG`, then `LANG`, then Simplified Chinese."""
    env = os.environ if environ is None else environ
    return parse_locale(env.get("IPCREDIT_LANG")) or parse_locale(env.get("LANG")) or DEFAULT


@dataclass(frozen=True)
class Lang:
    """One reader's language: its locale and the gettext functions that translate into it."""

    locale: str

    @property
    def html(self) -> str:
        return HTML_LANG[self.locale]

    def gettext(self, message: str) -> str:
        return translations(self.locale).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations(self.locale).ngettext(singular, plural, n)

    def name(self, zh: str, en: str) -> str:
        """A name kept in both languages in a data file (behaviours, measures): the reader's one."""
        return zh if self.locale == "zh_Hans" else en
