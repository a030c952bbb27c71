"""A one-page A4 PDF of the leadership summary, in the reader's language, printable in black and white."""

from __future__ import annotations

import io
from pathlib import Path

import altair as alt
import pandas as pd
from fpdf import FPDF

from ioa_assess.charts import standing_chart, trend_chart
from ioa_assess.config import k_anonymity
from ioa_assess.i18n import fmt_date, fmt_number, translate
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.chart_files import chart_png
from ioa_assess.reports.comparison_marks import mark_text
from ioa_assess.reports.plan_report import PlanPage, plan_frame, plan_page
from ioa_assess.reports.standing import band_name, dimension_frame
from ioa_assess.services.leadership import Insight, LeadershipSummary

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PAGE_WIDTH, MARGIN = 210.0, 12.0
CONTENT = PAGE_WIDTH - 2 * MARGIN


def trend_frame(summary: LeadershipSummary, lang: str) -> pd.DataFrame:
    """One row per round; `mark` says when the round was measured with a changed questionnaire."""
    return pd.DataFrame(
        [
            {
                "round": p.round_name,
                "order": i,
                "own": p.own,
                "peer_median": p.peer_median,
                "peer_q1": p.peer_q1,
                "peer_q3": p.peer_q3,
                "mark": mark_text(p.comparability, lang),
            }
            for i, p in enumerate(summary.trend)
        ]
    ).astype({"own": float, "peer_median": float, "peer_q1": float, "peer_q3": float})


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(False)
        if (FONT_DIR / "DejaVuSans.ttf").exists():
            self.add_font("Body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family_name = "Body"
        else:  # the core font covers æøå; anything it cannot show becomes '?'
            self.family_name = "Helvetica"

    def text_line(self, text: str, size: float = 9, bold: bool = False, height: float = 5) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.multi_cell(0, height, self._safe(text), new_x="LMARGIN", new_y="NEXT")

    def _safe(self, text: str) -> str:
        if self.family_name == "Helvetica":
            return text.encode("cp1252", "replace").decode("cp1252")
        return text


def _image(pdf: _Pdf, chart: alt.TopLevelMixin, width: float, x: float | None = None) -> None:
    pdf.image(io.BytesIO(chart_png(chart)), x=x, w=width)


def insight_text(summary: LeadershipSummary, insight: Insight, lang: str) -> str:
    questionnaire = load_questionnaire(summary.questionnaire_version)
    name = questionnaire.dimension(insight.dimension_id).name.get(lang)
    line = f"{name} ({fmt_number(insight.score, lang)})"
    if insight.question_id and insight.next_level:
        question = questionnaire.question(insight.question_id)
        step = question.levels[insight.next_level].get(lang)
        line += f" – {translate(lang, 'Next step')}: {question.title.get(lang)}: {step}"
    return line


def comparability_lines(summary: LeadershipSummary, lang: str) -> list[str]:
    """What was measured with a changed questionnaire since the previous round: the overall score,
    then the dimensions; empty when the two rounds asked the same questions."""
    latest = summary.trend[-1].comparability if summary.trend else None
    overall = mark_text(latest, lang)
    if not overall or summary.standing.previous_round_name is None:
        return []
    questionnaire = load_questionnaire(summary.questionnaire_version)
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    dims = [
        t(
            "{dimension}: {n} of {total}",
            dimension=questionnaire.dimension(c.dimension_id).name.get(lang),
            n=c.comparable,
            total=c.total,
        )
        for c in (d.previous_comparability for d in summary.standing.dimensions)
        if c is not None and not c.fully
    ]
    lines = [t("Change since {round}: {mark}.", round=summary.standing.previous_round_name, mark=overall)]
    if dims:
        lines.append(t("Questions comparable per dimension") + ": " + "; ".join(dims) + ".")
    return lines


def _dimension_table(pdf: _Pdf, summary: LeadershipSummary, lang: str) -> None:
    """Every dimension's numbers as text, in two columns: the chart's content for any reader."""
    t = lambda s: translate(lang, s)  # noqa: E731
    questionnaire = load_questionnaire(summary.questionnaire_version)
    pdf.text_line(
        f"{t('Dimension')}: {t('Our score')} / {t('Network median')} / {t('Target')}",
        size=8,
        bold=True,
        height=4,
    )
    lines = []
    for d in summary.standing.dimensions:
        median = d.peers.median if d.peers else None
        numbers = " / ".join(fmt_number(v, lang) for v in (d.own, median, d.target))
        lines.append(f"{questionnaire.dimension(d.dimension_id).name.get(lang)}: {numbers}")
    half = (len(lines) + 1) // 2
    top = pdf.get_y()
    pdf.set_font(pdf.family_name, "", 8)
    for column, chunk in enumerate((lines[:half], lines[half:])):
        pdf.set_xy(MARGIN + column * CONTENT / 2, top)
        for line in chunk:
            pdf.set_x(MARGIN + column * CONTENT / 2)
            pdf.cell(CONTENT / 2, 4, pdf._safe(line), new_x="LEFT", new_y="NEXT")
    pdf.set_xy(MARGIN, top + 4 * half)


def leadership_pdf(summary: LeadershipSummary, lang: str) -> bytes:
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    questionnaire = load_questionnaire(summary.questionnaire_version)
    standing = summary.standing
    pdf = _Pdf()
    pdf.add_page()
    pdf.set_title(f"{t('Maturity in innovative procurement')}: {summary.body_name}")
    pdf.text_line(t("Maturity in innovative procurement"), size=10)
    pdf.text_line(summary.body_name, size=18, bold=True, height=9)
    peers = standing.overall_peers
    group = t("The whole network") + (f" ({peers.n})" if peers else "")
    pdf.text_line(
        t("Round: {round}", round=summary.round_name)
        + f"  ·  {t('Compared with')}: {group}  ·  {t('Date')}: {fmt_date(summary.generated_on, lang)}",
        size=9,
    )
    pdf.ln(2)
    overall = summary.overall
    figures = [
        f"{t('Overall maturity')}: {fmt_number(overall, lang)} ({band_name(questionnaire, overall, lang)})",
        f"{t('Change since the previous round')}: "
        + (
            ("+" if (summary.change or 0) > 0 else "") + fmt_number(summary.change, lang)
            if summary.change is not None
            else "–"
        ),
        f"{t('Network median')}: {fmt_number(peers.median if peers else None, lang)}",
    ]
    pdf.text_line("   |   ".join(figures), size=10, bold=True)
    for line in comparability_lines(summary, lang):
        pdf.text_line(line, size=8, height=4)
    pdf.ln(1)
    y_charts = pdf.get_y()
    trend = trend_chart(trend_frame(summary, lang), lang).properties(width=300, height=190)
    _image(pdf, trend, width=CONTENT * 0.42, x=MARGIN)
    pdf.set_y(y_charts)
    dims = standing_chart(dimension_frame(standing, questionnaire, lang), lang).properties(width=300)
    _image(pdf, dims, width=CONTENT * 0.56, x=MARGIN + CONTENT * 0.44)
    pdf.set_y(max(pdf.get_y(), y_charts + 72))
    pdf.ln(1)
    _dimension_table(pdf, summary, lang)
    pdf.ln(2)
    for title, items in ((t("Strengths"), summary.strengths), (t("Gaps"), summary.gaps)):
        pdf.text_line(title, size=11, bold=True, height=6)
        for insight in items:
            pdf.text_line("• " + insight_text(summary, insight, lang), size=8, height=4)
        pdf.ln(1)
    if summary.targets:
        pdf.text_line(t("Targets"), size=11, bold=True, height=6)
        for target in summary.targets:
            name = questionnaire.dimension(target.dimension_id).name.get(lang)
            status = t("met") if target.met else t("gap {gap}", gap=fmt_number(target.gap, lang))
            pdf.text_line(
                f"• {name}: {t('target')} {fmt_number(target.target, lang)}, "
                f"{t('now')} {fmt_number(target.current, lang)} ({status})",
                size=8,
                height=4,
            )
    _footnote(
        pdf,
        t(
            "Scores are means of levels 1-5; 'don't know / not relevant' is left out. Peer statistics are "
            "shown only for groups of at least {k} bodies.",
            k=k_anonymity(),
        ),
    )
    _draw_plan_page(pdf, plan_page(summary.plan, questionnaire, summary.body_name, lang))
    return bytes(pdf.output())


def _footnote(pdf: _Pdf, text: str) -> None:
    pdf.set_y(-18)
    pdf.text_line(text, size=7, height=3.5)


def _draw_plan_page(pdf: _Pdf, page: PlanPage) -> None:
    """Page two: the improvement plan as a table (the content comes from reports.plan_report)."""
    pdf.add_page()
    pdf.text_line(page.title, size=16, bold=True, height=8)
    for line in page.lines:
        pdf.text_line(line, size=10, bold=True)
    pdf.ln(2)
    if not page.rows:
        pdf.text_line(page.empty, size=10)
    else:
        pdf.set_font(pdf.family_name, "", 8)
        total = sum(page.widths)
        widths = [CONTENT * w / total for w in page.widths]
        with pdf.table(
            col_widths=widths, line_height=4, text_align="LEFT", first_row_as_headings=True
        ) as table:
            for cells in [page.headers, *page.rows]:
                row = table.row()
                for cell in cells:
                    row.cell(pdf._safe(cell))
    _footnote(pdf, page.footnote)


def leadership_xlsx(summary: LeadershipSummary, lang: str) -> bytes:
    """The numbers behind the page and the PDF: trend, dimensions and targets."""
    from ioa_assess.reports.standing import scores_frame
    from ioa_assess.reports.tables import to_xlsx

    t = lambda s: translate(lang, s)  # noqa: E731
    questionnaire = load_questionnaire(summary.questionnaire_version)
    trend = trend_frame(summary, lang).drop(columns=["order"])
    trend.columns = [
        t("Round"),
        t("Our score"),
        t("Network median"),
        t("Lower quartile"),
        t("Upper quartile"),
        t("Comparability"),
    ]
    targets = pd.DataFrame(
        [
            {
                t("Dimension"): questionnaire.dimension(s.dimension_id).name.get(lang),
                t("Target"): s.target,
                t("Now"): s.current,
                t("Gap"): s.gap,
            }
            for s in summary.targets
        ]
    )
    return to_xlsx(
        {
            t("Over time"): trend,
            t("Dimensions"): scores_frame(summary.standing, questionnaire, lang),
            t("Targets"): targets,
            t("Improvement plan"): plan_frame(summary.plan, questionnaire, lang),
        }
    )
