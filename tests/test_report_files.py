"""The leader's PDF as a screen reader and a council get it (tagged PDF/UA-1, one page, one voice,
next steps to take), and the Excel files' numbers as a Norwegian spreadsheet shows them."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from ioa_assess.charts import standing_chart
from ioa_assess.i18n import translate
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.leadership_pdf import (
    DIMENSIONS_ALT,
    PAGES,
    TREND_ALT,
    leadership_pdf,
    leadership_xlsx,
)
from ioa_assess.reports.leadership_text import FIRST_PRACTICE_LEVEL, insight_text
from ioa_assess.reports.standing import answers_frame, dimension_frame, scores_frame
from ioa_assess.reports.tables import to_xlsx
from ioa_assess.services.leadership import leadership_summary
from ioa_assess.services.results import standing
from tests.rendered_text import pdf_text
from tests.test_pages import demo_actor


def _structure(node: object, found: list[DictionaryObject]) -> list[DictionaryObject]:
    """Every structure element under `node`, depth first (the reading order)."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, DictionaryObject):
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            _structure(kid, found)
    return found


@pytest.fixture
def leader_summary(demo_db: str):  # type: ignore[no-untyped-def]
    return leadership_summary(demo_actor("leader"))


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_pdf_is_tagged_for_a_screen_reader(leader_summary, lang: str) -> None:  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(leadership_pdf(leader_summary, lang)))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert reader.metadata.title == translate(lang, "Maturity in innovative procurement") + ": Sandnes"
    elements = _structure(root["/StructTreeRoot"], [])
    kinds = [str(e["/S"]) for e in elements]
    assert kinds.count("/H1") == len(reader.pages) == len(PAGES) and kinds.count("/H2") >= 2
    assert kinds.index("/H1") < kinds.index("/Figure") < kinds.index("/Table") < kinds.index("/H2")
    assert {"/TR", "/TH", "/TD"} <= set(kinds)  # the dimension table is a table, with header cells
    figures = [e for e in elements if e["/S"] == "/Figure"]
    assert len(figures) == 2  # the trend and the dimensions
    assert [str(f["/Alt"]) for f in figures] == [translate(lang, TREND_ALT), translate(lang, DIMENSIONS_ALT)]
    fonts = {
        str(f.get_object()["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()
    }
    assert fonts and all(f.split("+")[-1].startswith("Body") for f in fonts)  # DejaVu, embedded
    # The maturity picture fits page one; page two is the plan.
    assert "Sandnes" in reader.pages[0].extract_text()
    assert translate(lang, "Strengths") in reader.pages[0].extract_text()


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_the_pdf_speaks_with_one_voice_and_says_what_to_do(leader_summary, lang: str) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(pdf_text(leadership_pdf(leader_summary, lang)).split())
    assert translate(lang, "Your score") not in text and translate(lang, "Your target") not in text
    assert translate(lang, "Our score") in text
    # ... and the chart's legend, drawn into the picture, says "our" too.
    questionnaire = load_questionnaire(leader_summary.questionnaire_version)
    frame = dimension_frame(leader_summary.standing, questionnaire, lang)
    legend = standing_chart(frame, lang, ours=True).to_json()
    assert translate(lang, "Our target") in legend and translate(lang, "Your target") not in legend
    # The box plot is explained in words.
    assert (
        translate(
            lang,
            "How to read it: the grey box holds the middle half of the network's bodies, "
            "the black tick is the median, the line runs from the lowest to the highest score; "
            "the diamond is our score, the triangle our target.",
        ).split()[0]
        in text
    )
    for insight in [*leader_summary.strengths, *leader_summary.gaps]:
        step = insight_text(leader_summary, insight, lang).step
        assert step is not None
        level = int(re.search(r"(\d) \(", step).group(1))
        assert level >= FIRST_PRACTICE_LEVEL and level >= (insight.next_level or 0)
        assert questionnaire.question(insight.question_id).levels[level].get(lang) in step
        assert " ".join(step.split()[:3]) in text


def test_excel_numbers_are_numbers_rounded_as_shown(demo_db: str) -> None:
    summary = leadership_summary(demo_actor("leader"))
    workbook = openpyxl.load_workbook(io.BytesIO(leadership_xlsx(summary, "nb")))
    over_time = workbook[translate("nb", "Over time")]
    scores = [
        c for row in over_time.iter_rows(min_row=2, min_col=2, max_col=5) for c in row if c.value is not None
    ]
    assert scores and all(isinstance(c.value, int | float) for c in scores)
    assert all(round(c.value, 1) == c.value and c.number_format == "0.0" for c in scores)
    participant = demo_actor("participant")
    result = standing(participant, "network")
    questionnaire = load_questionnaire(result.questionnaire_version)
    data = to_xlsx(
        {"a": answers_frame(result, questionnaire, "nb"), "s": scores_frame(result, questionnaire, "nb")}
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    headers = {c.value: c.column for c in book["s"][1]}

    def column(name: str) -> list:  # type: ignore[type-arg]
        index = headers[translate("nb", name)]
        cells = book["s"].iter_rows(min_row=2, min_col=index, max_col=index)
        return [c for (c,) in cells if c.value is not None]

    medians = column("Peer median")
    assert medians and all(round(c.value, 1) == c.value and c.number_format == "0.0" for c in medians)
    bodies = column("Peer bodies")
    assert bodies and all(isinstance(c.value, int) and c.number_format == "General" for c in bodies)
