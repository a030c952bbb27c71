"""What a user reads on a rendered page or in a file, and what must never be in it in Norwegian:
English words, raw stored values (enum codes, audit targets, question ids), "None" or "nan"."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from functools import cache

import pandas as pd
from babel.messages.pofile import read_po
from openpyxl import load_workbook
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from ioa_assess.config import QUESTIONNAIRE_DIR
from ioa_assess.i18n import CATALOGUE_DIR
from ioa_assess.questionnaire import load_legal_references, load_questionnaire

WORD = re.compile(r"[A-Za-zÆØÅæøå]+(?:'[a-z]+)?")
# Stored values that must be shown by their name, never as they are stored.
RAW_VALUE = re.compile(
    r"\b(county_council|health_trust|state_agency|municipality|not_started|in_progress|lowest_median|"
    r"widest_spread|bokmal|neutral|signin|signout|user:\d+|round:\d+|body:\d+|IOA_[A-Z_]+|None|nan|NaN|"
    r"True|False)\b"
)
# E-mail addresses and the demo passwords are what people typed; "WCAG 2.1" is a name.
TYPED = re.compile(r"\S+@\S+|demo-[a-z_]+-\d+|WCAG\)? \d\.\d")
QUESTION_ID = re.compile(r"\b[a-z]{3}-\d{2}\b")
# Numbers written the English way: 2.25 (a date such as 30.11.2026 has two dots), 75% without a space.
ENGLISH_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")
PERCENT_WITHOUT_SPACE = re.compile(r"\d%")
NEGATIVE_ZERO = re.compile(r"(?<![\d,.])[-−]0[,.]0(?!\d)")  # a change that rounds to nothing has no sign
# Words both languages write the same way that the catalogues happen not to contain in Norwegian.
SHARED = {"ioa", "csv", "pdf", "excel", "xlsx", "json", "wcag", "sso", "id", "e", "utc", "demo", "ks", "lup"}


def _msgids_and_translations(lang: str) -> tuple[set[str], set[str]]:
    english, norwegian = set(), set()
    with (CATALOGUE_DIR / f"{lang}.po").open("rb") as handle:
        for message in read_po(handle):
            if message.id:
                english.update(_words(str(message.id)))
                norwegian.update(_words(str(message.string)))
    return english, norwegian


@cache
def english_words(lang: str) -> frozenset[str]:
    """Words of the UI's English texts (msgids, and the questionnaire's English) that are not
    also words of `lang` (in its catalogue or the questionnaire's text in it): "open" is nynorsk,
    but English in bokmål."""
    english, norwegian = _msgids_and_translations(lang)
    texts = []
    for path in sorted(QUESTIONNAIRE_DIR.glob("ioa-*.yaml")):  # every version's words
        questionnaire = load_questionnaire(path.stem)
        texts.append(questionnaire.scale.not_relevant)
        for dimension in questionnaire.dimensions:
            texts += [dimension.name, dimension.description]
        for question in questionnaire.questions:
            texts += [question.title, question.text, question.help, *question.levels.values()]
    # The legal rules are texts of the questionnaire too (§ 13-2 says "design" in Norwegian).
    texts += [
        rule.rule for rule in load_legal_references(QUESTIONNAIRE_DIR / "legal-references.yaml").references
    ]
    for text in texts:
        english.update(_words(text.get("en")))
        norwegian.update(_words(text.get(lang)))
    return frozenset(w for w in english - norwegian - SHARED if len(w) > 2)


def _words(text: str) -> set[str]:
    text = re.sub(r"\{[a-z_]+\}", " ", text)  # placeholders
    return {w.lower() for w in WORD.findall(text)}


@cache
def named_by_users() -> frozenset[str]:
    """Words of the names people gave (rounds, networks, bodies): shown as written."""
    from sqlalchemy import select

    from ioa_assess.storage.engine import session_scope
    from ioa_assess.storage.models import Body, Network, Round, User

    with session_scope() as session:
        names = [*session.scalars(select(Round.name)), *session.scalars(select(Network.name))]
        names += list(session.scalars(select(Body.name)))
        names += [n for n in session.scalars(select(User.name)) if n]
    return frozenset(w for name in names for w in _words(name))


def problems(text: str, lang: str, *, data_file: bool = False, reference: bool = False) -> list[str]:
    """Each English word, raw value, English number or question id in `text` (in `lang`), with a little
    context. A data file (Excel) may hold question ids, and its numbers are numbers, not text."""
    found = []
    english = english_words(lang) - named_by_users()
    for line in text.splitlines():
        shown, line = line, TYPED.sub(" ", line)
        for word in WORD.findall(line):
            if word.lower() in english:
                found.append(f"English {word!r} in {shown.strip()[:90]!r}")
        for match in RAW_VALUE.finditer(line):
            found.append(f"raw {match.group(0)!r} in {shown.strip()[:90]!r}")
        if data_file or shown.lstrip().startswith("§"):  # a legal reference cites "punkt 2.3"
            continue
        checks = ((ENGLISH_DECIMAL, "English number"), (NEGATIVE_ZERO, "-0,0"))
        if not reference:  # the questionnaire's own reference page names questions by their stable ids
            checks += ((QUESTION_ID, "question id"),)
        for pattern, what in checks:
            for match in pattern.finditer(line):
                found.append(f"{what} {match.group(0)!r} in {shown.strip()[:90]!r}")
        for match in PERCENT_WITHOUT_SPACE.finditer(line):
            found.append(f"per cent without a space {match.group(0)!r} in {shown.strip()[:90]!r}")
    return found


def _frame_text(frame: pd.DataFrame) -> Iterable[str]:
    yield " | ".join(str(c) for c in frame.columns)
    if frame.index.name:
        yield str(frame.index.name)
    if not isinstance(frame.index, pd.RangeIndex):
        yield from (str(i) for i in frame.index)
    for row in frame.itertuples(index=False):
        yield " | ".join(str(v) for v in row)


def page_text(at: AppTest) -> str:
    """Every text a user reads on an AppTest page: prose, labels, options, metrics and table cells."""
    parts: list[str] = []
    for kind in ("markdown", "title", "header", "subheader", "caption", "text"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for kind in ("info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        parts += [m.label, str(m.value), str(m.proto.delta or "")]
    for kind in ("selectbox", "radio", "multiselect"):
        for widget in getattr(at, kind):
            parts += [widget.label, *map(str, widget.options)]
    for kind in (
        "button",
        "text_input",
        "text_area",
        "toggle",
        "checkbox",
        "number_input",
        "expander",
        "tabs",
    ):
        parts += [str(e.label) for e in getattr(at, kind)]
    parts += [str(b.proto.label) for b in at.get("download_button")]
    for d in at.dataframe:
        parts += list(_frame_text(d.value))
    for t in at.table:
        parts += list(_frame_text(t.value))
    return "\n".join(p for p in parts if p)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def xlsx_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data))
    lines = []
    for sheet in workbook.worksheets:
        lines.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            lines.append(" | ".join("" if v is None else str(v) for v in row))
    return "\n".join(lines)
