"""Translation and Norwegian formatting.

UI strings are written in English in the code and looked up in gettext catalogues
(data/i18n/<lang>.po, read with Babel). Bokmål is the default language.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from ioa_assess.config import DATA_DIR

LANGUAGES: tuple[str, ...] = ("nb", "nn", "en")
DEFAULT_LANGUAGE = "nb"
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}
CATALOGUE_DIR = DATA_DIR / "i18n"
_BABEL_LOCALES = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}


def normalise_language(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translated text for one language (English needs none: the msgids are English)."""
    path = CATALOGUE_DIR / f"{lang}.po"
    if lang == "en" or not path.exists():
        return {}
    with path.open("rb") as handle:
        po = read_po(handle, locale=_BABEL_LOCALES[lang])
    return {str(m.id): str(m.string) for m in po if m.id and m.string and not m.fuzzy}


def translate(lang: str, msgid: str, /, **values: object) -> str:
    """The text of `msgid` in `lang`, with {placeholders} filled from `values`."""
    text = catalogue(normalise_language(lang)).get(msgid) or msgid
    return text.format(**values) if values else text


@lru_cache(maxsize=len(LANGUAGES))
def babel_locale(lang: str) -> Locale:
    return Locale.parse(_BABEL_LOCALES[normalise_language(lang)])


def fmt_number(value: float | None, lang: str, digits: int = 1) -> str:
    if value is None:
        return "–"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


def fmt_change(value: float | None, lang: str, digits: int = 1) -> str:
    """A change as shown: "+0,3", "-0,3" (ASCII minus), and "0,0" for what rounds to nothing."""
    if value is None:
        return "–"
    text = fmt_number(abs(value), lang, digits)
    if text == fmt_number(0.0, lang, digits):
        return text
    return ("+" if value > 0 else "-") + text


def fmt_percent(value: float, lang: str) -> str:
    return format_percent(value, locale=babel_locale(lang))


def fmt_date(value: date | datetime | None, lang: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return format_datetime(value, format="short", locale=babel_locale(lang))
    return format_date(value, format="medium", locale=babel_locale(lang))


def N_(msgid: str) -> str:  # noqa: N802 - the gettext name for "mark for translation, translate later"
    return msgid
