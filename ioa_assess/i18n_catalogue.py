"""Keeping the translation catalogues in step with the code.

`python -m ioa_assess.i18n_catalogue` extracts every UI string (the msgids given to _(), N_(),
translate() and the service errors) and adds the new ones, untranslated, to data/i18n/nb.po and
nn.po. A test fails while any of them lacks a translation.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from ioa_assess.config import PROJECT_ROOT
from ioa_assess.i18n import CATALOGUE_DIR

TRANSLATED = ("nb", "nn")
KEYWORDS = {
    "_": None,
    "N_": None,
    "translate": (2,),
    "t": None,
    "ServiceError": None,
    "InvalidInput": None,
    "PermissionDenied": None,
    "NotFound": None,
}
METHOD_MAP = [
    ("ioa_assess/**.py", "python"),
    ("pages/**.py", "python"),
    ("app.py", "python"),
    ("serve.py", "python"),
]


def extract_messages() -> dict[str, list[str]]:
    """msgid -> the places in the code that use it."""
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PROJECT_ROOT, method_map=METHOD_MAP, keywords=KEYWORDS
    ):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def read_catalogue(lang: str) -> Catalog:
    path = CATALOGUE_DIR / f"{lang}.po"
    if not path.exists():
        return Catalog(locale=lang)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang)


def update_catalogues() -> dict[str, int]:
    """Add new msgids to each catalogue, drop unused ones; returns how many lack a translation."""
    messages = extract_messages()
    missing: dict[str, int] = {}
    CATALOGUE_DIR.mkdir(parents=True, exist_ok=True)
    for lang in TRANSLATED:
        old = read_catalogue(lang)
        new = Catalog(
            locale=lang,
            project="ioa-assess",
            version="1",
            copyright_holder="IOA self-assessment",
            msgid_bugs_address="",
            last_translator="IOA self-assessment",
            language_team=f"{lang} <>",
            charset="utf-8",
            fuzzy=False,
            # A fixed date and file names without line numbers: the catalogue changes only when
            # the strings do, so parallel branches merge without conflicts in unrelated lines.
            creation_date=old.creation_date,
        )
        for msgid, places in sorted(messages.items()):
            existing = old.get(msgid)
            files = list(dict.fromkeys(place.rsplit(":", 1)[0] for place in places))[:3]
            new.add(msgid, existing.string if existing else "", locations=[(f, None) for f in files])
        with (CATALOGUE_DIR / f"{lang}.po").open("wb") as handle:
            write_po(handle, new, width=100, omit_header=False, include_lineno=False)
        missing[lang] = sum(1 for m in new if m.id and not m.string)
    return missing


if __name__ == "__main__":
    for lang, count in update_catalogues().items():
        print(f"{lang}: {count} strings to translate")
