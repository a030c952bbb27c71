"""Translation lookups with fallback, and Norwegian number and date formatting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ioa_assess import i18n
from ioa_assess.i18n import fmt_date, fmt_number, normalise_language, translate

NN_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Hello {name}"
msgstr "Hei {name}"

msgid "Results"
msgstr "Resultat"

#, fuzzy
msgid "Round"
msgstr "Runde"

msgid "Untranslated"
msgstr ""
"""


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture
def catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A catalogue directory with only a small nynorsk catalogue; the cache is reset around it."""
    (tmp_path / "nn.po").write_text(NN_PO, encoding="utf-8")
    monkeypatch.setattr(i18n, "CATALOGUE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    yield tmp_path
    i18n.catalogue.cache_clear()


# --- numbers and dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [(3.456, "nb", "3,5"), (3.456, "nn", "3,5"), (3.456, "en", "3.5"), (3.0, "nb", "3,0"), (None, "nb", "–")],
)
def test_fmt_number(value: float | None, lang: str, text: str) -> None:
    assert fmt_number(value, lang) == text


def test_fmt_number_digits() -> None:
    assert fmt_number(3.456, "nb", digits=2) == "3,46"
    assert fmt_number(3.456, "en", digits=0) == "3"


def test_fmt_date_bokmal() -> None:
    assert fmt_date(date(2026, 11, 26), "nb") == "26. nov. 2026"


def test_fmt_date_none() -> None:
    assert fmt_date(None, "nb") == "–"


# --- languages and translation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"), [("xx", "nb"), (None, "nb"), ("", "nb"), ("nn", "nn"), ("en", "en")]
)
def test_normalise_language(lang: str | None, expected: str) -> None:
    assert normalise_language(lang) == expected


def test_translate_uses_the_catalogue(catalogues: Path) -> None:
    assert translate("nn", "Results") == "Resultat"
    assert translate("nn", "Hello {name}", name="Kari") == "Hei Kari"


def test_translate_falls_back_to_the_msgid(catalogues: Path) -> None:
    assert translate("nn", "Not in any catalogue") == "Not in any catalogue"
    assert translate("nn", "{count} answers missing", count=3) == "3 answers missing"


def test_fuzzy_and_empty_translations_fall_back(catalogues: Path) -> None:
    assert translate("nn", "Round") == "Round"
    assert translate("nn", "Untranslated") == "Untranslated"


def test_language_without_catalogue_falls_back(catalogues: Path) -> None:
    assert translate("nb", "Results") == "Results"  # no nb.po in this directory
    assert translate("xx", "Hello {name}", name="Ola") == "Hello Ola"


def test_english_needs_no_catalogue(catalogues: Path) -> None:
    (catalogues / "en.po").write_text(NN_PO, encoding="utf-8")
    assert translate("en", "Results") == "Results"


WRITTEN_NUMBERS = [("nb", "3,5"), ("nn", "3,5"), ("en", "3.5")]


@pytest.mark.parametrize(("lang", "label"), WRITTEN_NUMBERS)
def test_charts_write_numbers_as_the_language_does(lang: str, label: str) -> None:
    """Labels on the marks as the language writes them, on the page and in chart files alike
    (vl-convert); the axis shows the whole levels 1 to 5."""
    import re

    import pandas as pd

    from ioa_assess.charts import standing_chart
    from ioa_assess.reports.chart_files import chart_svg

    columns = ["dimension", "own", "low", "q1", "median", "q3", "high"]
    rows = [["Strategi", 3.5, 1.0, 2.0, 2.5, 3.0, 4.5], ["Marked", 2.0, 1.5, 2.0, 2.5, 3.5, 5.0]]
    frame = pd.DataFrame(rows, columns=columns).assign(target=None)
    svg = chart_svg(standing_chart(frame, lang)).decode()
    numbers = re.findall(r">\s*([0-9]+[.,][0-9])\s*<", svg)
    assert label in numbers
    other_mark = "." if "," in label else ","
    assert not any(other_mark in n for n in numbers)
    assert {"1", "2", "3", "4", "5"} <= set(re.findall(r">\s*([0-9])\s*<", svg))
