"""The leadership summary as a tagged A4 PDF (PDF/UA-1), in the reader's language, printable in black
and white: HTML and CSS rendered by WeasyPrint, which writes the language, the title, a structure tree
(headings, lists, tables, figures in reading order) and each chart's alternative text.

A report is a list of pages, each an HTML <section>: the maturity picture is the first; another page
is one more function that returns a section (see `report_html`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from html import escape
from pathlib import Path

import altair as alt
import pandas as pd

from ioa_assess.charts import standing_chart, trend_chart
from ioa_assess.config import k_anonymity
from ioa_assess.i18n import N_, fmt_change, fmt_date, fmt_number, translate
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reports.chart_files import chart_png
from ioa_assess.reports.comparison_marks import mark_text
from ioa_assess.reports.leadership_text import insight_text, target_text
from ioa_assess.reports.plan_report import plan_frame, plan_page
from ioa_assess.reports.questionnaire_doc import answer_name
from ioa_assess.reports.standing import (
    agreement_name,
    band_name,
    dimension_frame,
    dimension_table,
    evidence_frame,
    evidence_line,
    evidence_name,
    evidence_reference,
)
from ioa_assess.scoring import is_level
from ioa_assess.services.leadership import LeadershipSummary

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core: nothing is fetched
# The charts' alternative texts (the same as on the leadership page).
TREND_ALT = N_(
    "Chart: our overall score per round (solid line, circles) against the network median (dashed line, "
    "squares) and the middle half of the network (grey band)."
)
DIMENSIONS_ALT = N_(
    "Chart: our score per dimension (diamond), our target (triangle) and the network's median (black tick), "
    "quartiles (grey box) and range (line)."
)
EVIDENCE_HELP = N_(
    "Evidence: self-declared, documented (with a document or a link) or verified (by whom). "
    "Agreed: the answer the organisation agreed, or its only respondent's answer."
)
CSS = """
@font-face { font-family: Body; src: url("{font}"); }
@font-face { font-family: Body; font-weight: bold; src: url("{bold}"); }
@page { size: A4; margin: 11mm 12mm 12mm 12mm; }
html { font-family: Body, sans-serif; font-size: 8pt; line-height: 1.25; color: #000; }
body { margin: 0; }
section.page + section.page { break-before: page; }
table.plan { table-layout: fixed; }
table.plan td { overflow-wrap: anywhere; }
p, li, td, th, figcaption { text-align: left; hyphens: manual; }
.kicker { margin: 0; font-size: 10pt; }
h1 { margin: 0 0 1mm 0; font-size: 18pt; }
h2 { margin: 2.5mm 0 1mm 0; font-size: 11pt; }
.meta { margin: 0 0 2mm 0; }
.figures { display: flex; gap: 6mm; margin: 0 0 2mm 0; padding: 0; list-style: none; font-size: 10pt; }
.figures li strong { font-size: 11pt; }
.charts { display: flex; gap: 4mm; align-items: flex-start; }
figure { margin: 0; }
figure.trend { width: 40%; }
figure.dimensions { width: 60%; }
figure img { width: 100%; }
figcaption { font-size: 7.3pt; color: #222; }
table { border-collapse: collapse; width: 100%; margin-top: 1.5mm; }
caption { text-align: left; font-weight: bold; font-size: 9pt; margin-bottom: 0.8mm; }
th, td { border-bottom: 0.3pt solid #888; padding: 0.5mm 1.2mm; vertical-align: top; }
th { font-weight: bold; background: #eee; }
td.number, th.number { text-align: right; }
.columns { display: flex; gap: 5mm; }
.columns > div { width: 50%; }
ul.insights { margin: 0; padding-left: 3.5mm; }
ul.insights li { margin-bottom: 1mm; }
.step { color: #222; }
footer { margin-top: 2mm; font-size: 7pt; color: #222; }
table.answers { table-layout: fixed; font-size: 6.8pt; line-height: 1.15; }
table.answers td, table.answers th { padding: 0.25mm 1mm; overflow-wrap: anywhere; }
table.answers tbody th { font-weight: normal; background: none; }
"""


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


def _figure(chart: alt.TopLevelMixin, width: int, alt_text: str, caption: str, css_class: str) -> str:
    png = base64.b64encode(chart_png(chart, width=width)).decode("ascii")
    return (
        f'<figure class="{css_class}"><img src="data:image/png;base64,{png}" alt="{escape(alt_text)}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def _table(frame: pd.DataFrame, caption: str, numeric: Sequence[str] = ()) -> str:
    head = "".join(
        f'<th scope="col"{" class=number" if c in numeric else ""}>{escape(str(c))}</th>'
        for c in frame.columns
    )
    rows = []
    for row in frame.itertuples(index=False):
        cells = [
            f'<th scope="row">{escape(str(row[0]))}</th>',
            *(
                f"<td{' class=number' if c in numeric else ''}>{escape(str(v))}</td>"
                for c, v in zip(frame.columns[1:], row[1:], strict=True)
            ),
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def maturity_page(summary: LeadershipSummary, lang: str) -> str:
    """The first page: where we stand, against the network and our targets, and what to do next."""
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    questionnaire = load_questionnaire(summary.questionnaire_version)
    standing = summary.standing
    peers = standing.overall_peers
    group = t("The whole network") + (f" ({peers.n})" if peers else "")
    meta = t(
        "Round: {round} · compared with: {group} · date: {date}",
        round=summary.round_name,
        group=group,
        date=fmt_date(summary.generated_on, lang),
    )
    change_text = fmt_change(summary.change, lang)
    figures = [
        (
            t("Overall maturity"),
            f"{fmt_number(summary.overall, lang)} ({band_name(questionnaire, summary.overall, lang)})",
        ),
        (t("Change since the previous round"), change_text),
        (t("Network median"), fmt_number(peers.median if peers else None, lang)),
    ]
    trend = trend_chart(trend_frame(summary, lang), lang).properties(height=150)
    frame = dimension_frame(standing, questionnaire, lang)
    dims = standing_chart(frame, lang, ours=True).properties(height=23 * len(frame))
    trend_alt, dims_alt = t(TREND_ALT), t(DIMENSIONS_ALT)
    box_help = t(
        "How to read it: the grey box holds the middle half of the network's bodies, the black tick is the "
        "median, the line runs from the lowest to the highest score; the diamond is our score, the triangle "
        "our target."
    )
    table = dimension_table(frame, lang, ours=True).drop(columns=[t("Answered")])
    # The comparability of each dimension is written once above the charts, not in every row.
    table[t("Previous round")] = [fmt_number(v, lang) if pd.notna(v) else "–" for v in frame["previous"]]
    kicker, targets_heading = t("Maturity in innovative procurement"), t("Targets")
    html = [
        '<section class="page">',
        f'<p class="kicker">{escape(kicker)}</p>',
        f"<h1>{escape(summary.body_name)}</h1>",
        f'<p class="meta">{escape(meta)}</p>',
        '<ul class="figures">'
        + "".join(f"<li>{escape(k)}: <strong>{escape(v)}</strong></li>" for k, v in figures)
        + "</ul>",
        *(f'<p class="meta">{escape(line)}</p>' for line in comparability_lines(summary, lang)),
        '<div class="charts">',
        _figure(trend, 330, trend_alt, t("Overall maturity over time"), "trend"),
        _figure(dims, 480, dims_alt, box_help, "dimensions"),
        "</div>",
        _table(table, t("Each dimension against the network"), numeric=list(table.columns[1:])),
        '<div class="columns">',
    ]
    for heading, insights in ((t("Strengths"), summary.strengths), (t("Gaps"), summary.gaps)):
        items = []
        for insight in insights:
            text = insight_text(summary, insight, lang)
            step = f'<br><span class="step">{escape(text.step)}</span>' if text.step else ""
            items.append(f"<li><strong>{escape(text.dimension)}</strong>{step}</li>")
        html.append(f'<div><h2>{escape(heading)}</h2><ul class="insights">{"".join(items)}</ul></div>')
    html.append("</div>")
    if summary.targets:
        items = "".join(f"<li>{escape(target_text(summary, s, lang))}</li>" for s in summary.targets)
        html.append(f'<h2>{escape(targets_heading)}</h2><ul class="insights">{items}</ul>')
    note = t(
        "Scores are means of levels 1-5; 'don't know / not relevant' is left out. Peer statistics are "
        "shown only for groups of at least {k} bodies.",
        k=k_anonymity(),
    )
    html += [f"<footer><p>{escape(note)}</p></footer>", "</section>"]
    return "\n".join(html)


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


def improvement_plan_page(summary: LeadershipSummary, lang: str) -> str:
    """Page two: the improvement plan as a table (the content comes from reports.plan_report)."""
    questionnaire = load_questionnaire(summary.questionnaire_version)
    page = plan_page(summary.plan, questionnaire, summary.body_name, lang)
    html = ['<section class="page">', f"<h1>{escape(page.title)}</h1>"]
    html += [f'<p class="figures-line"><strong>{escape(line)}</strong></p>' for line in page.lines]
    if not page.rows:
        html.append(f"<p>{escape(page.empty)}</p>")
    else:
        total = sum(page.widths)
        cols = "".join(f'<col style="width: {100 * w / total:.1f}%">' for w in page.widths)
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in page.headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in page.rows
        )
        html.append(
            f'<table class="plan"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )
    html += [f"<footer><p>{escape(page.footnote)}</p></footer>", "</section>"]
    return "\n".join(html)


def evidence_page(summary: LeadershipSummary, lang: str) -> str:
    """Page three: each agreed answer with how sure it is, and how much of the score rests on
    documented or verified evidence."""
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    questionnaire = load_questionnaire(summary.questionnaire_version)
    standing = summary.standing
    headers = [t("Question"), t("Answer"), t("Agreed or provisional"), t("Evidence"), t("Reference")]
    widths = (44, 11, 11, 11, 23)
    rows = []
    for question in questionnaire.questions:
        level = standing.levels.get(question.id)
        if level is None:
            answer = "–"
        elif is_level(level):
            answer = str(level)
        else:
            answer = answer_name(questionnaire, level, lang)
        rows.append(
            [
                question.title.get(lang),
                answer,
                agreement_name(standing, question.id, lang) or "–",
                evidence_name(standing, question.id, lang) or "–",
                evidence_reference(standing, question.id) or "–",
            ]
        )
    cols = "".join(f'<col style="width: {w}%">' for w in widths)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{escape(row[0])}</th>'
        + "".join(f"<td>{escape(cell)}</td>" for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    per_dimension = "; ".join(
        f"{questionnaire.dimension(d.dimension_id).name.get(lang)}: {d.evidence.backed} / {d.evidence.scored}"
        for d in standing.dimensions
    )
    title = t("Answers and evidence")
    per_dimension = t("Documented or verified per dimension") + ": " + per_dimension
    html = [
        '<section class="page">',
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta"><strong>{escape(evidence_line(standing.evidence_share, lang))}</strong></p>',
        f'<p class="meta">{escape(per_dimension)}</p>',
        f'<table class="answers"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>",
        "<footer><p>" + escape(t(EVIDENCE_HELP)) + "</p></footer>",
        "</section>",
    ]
    return "\n".join(html)


Page = Callable[[LeadershipSummary, str], str]
PAGES: tuple[Page, ...] = (maturity_page, improvement_plan_page, evidence_page)


def report_html(summary: LeadershipSummary, lang: str, pages: Sequence[Page] = PAGES) -> str:
    title = translate(lang, "Maturity in innovative procurement") + ": " + summary.body_name
    css = CSS.replace("{font}", (FONT_DIR / "DejaVuSans.ttf").as_uri()).replace(
        "{bold}", (FONT_DIR / "DejaVuSans-Bold.ttf").as_uri()
    )
    body = "\n".join(page(summary, lang) for page in pages)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{css}</style></head><body>{body}</body></html>"
    )


def leadership_pdf(summary: LeadershipSummary, lang: str) -> bytes:
    from weasyprint import HTML  # imported when a PDF is asked for: it loads Pango
    from weasyprint.urls import URLFetcher

    # Everything the report needs is inline (data:) or a local font file: nothing is fetched.
    fetcher = URLFetcher(allowed_protocols={"data", "file"})
    html = HTML(string=report_html(summary, lang), url_fetcher=fetcher)
    return html.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=False)


def leadership_xlsx(summary: LeadershipSummary, lang: str) -> bytes:
    """The numbers behind the page and the PDF: trend, dimensions, targets, the plan, and each
    answer with its evidence."""
    from ioa_assess.reports.standing import answers_frame, scores_frame
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
            t("Answers"): answers_frame(summary.standing, questionnaire, lang),
            t("Evidence"): evidence_frame(summary.standing, questionnaire, lang),
        }
    )
