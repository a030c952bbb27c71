"""The questionnaire as people read it before answering: texts for the form and the Questionnaire
page, and the PDF and Excel files a body circulates among colleagues."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from fpdf import FPDF

from ioa_assess.comparability import QuestionChange, question_changes
from ioa_assess.i18n import N_, fmt_date, translate
from ioa_assess.questionnaire import LEVELS, LegalReference, Question, Questionnaire
from ioa_assess.reports.tables import to_xlsx
from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

STATUS_NAMES = {
    "same": N_("Same"),
    "reworded": N_("Reworded"),
    "changed": N_("Changed"),
    "new": N_("New"),
    "removed": N_("Removed"),
}


def answer_options(questionnaire: Questionnaire, question: Question) -> tuple[int, ...]:
    """The answers the form offers: the levels, "don't know" (in v1 the combined answer), and
    "not relevant" only where the question allows it."""
    extra = (NOT_RELEVANT,) if questionnaire.scale.separate_options and question.not_relevant else ()
    return (*LEVELS, DONT_KNOW, *extra)


def answer_name(questionnaire: Questionnaire, answer: int, lang: str) -> str:
    """The name of a stored answer: a level's name, "don't know" or "not relevant"."""
    if answer == NOT_RELEVANT:
        return questionnaire.scale.not_relevant.get(lang)
    if answer == DONT_KNOW:
        dont_know = questionnaire.scale.dont_know
        return (dont_know or questionnaire.scale.not_relevant).get(lang)
    return questionnaire.scale.name(answer, lang)


def below_legal_text(lang: str) -> str:
    return translate(lang, "below the legal requirement")


def level_text(questionnaire: Questionnaire, question: Question, level: int, lang: str) -> str:
    """`3 – Etablert: description`, marked when the level is below what the law requires."""
    text = f"{level} – {questionnaire.scale.name(level, lang)}: {question.levels[level].get(lang)}"
    if question.below_legal_minimum(level):
        text += f" ({below_legal_text(lang)})"
    return text


def legal_line(reference: LegalReference, lang: str) -> str:
    """`Source: rule (as of 30.11.2026)`, with "proposal, not yet law" for a proposal."""
    as_of = translate(lang, "as of {date}", date=fmt_date(reference.as_of, lang))
    status = translate(lang, "proposal, not yet in force") + ", " if reference.proposal else ""
    return f"{reference.source}: {reference.rule.get(lang)} ({status}{as_of})"


def legal_lines(questionnaire: Questionnaire, question: Question, lang: str) -> list[str]:
    return [legal_line(ref, lang) for ref in questionnaire.legal_references(question)]


def questionnaire_frame(questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """One row per question: its dimension, texts, legal references and the five levels in columns."""
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    rows = []
    for q in questionnaire.questions:
        row = {
            t("Dimension"): questionnaire.dimension(q.dimension).name.get(lang),
            t("Question id"): q.id,
            t("Title"): q.title.get(lang),
            t("Question"): q.text.get(lang),
            t("Help"): q.help.get(lang),
            t("Legal references"): "\n".join(legal_lines(questionnaire, q, lang)),
        }
        for level in LEVELS:
            name = f"{level} – {questionnaire.scale.name(level, lang)}"
            text = q.levels[level].get(lang)
            row[name] = text + (f" ({below_legal_text(lang)})" if q.below_legal_minimum(level) else "")
        if questionnaire.scale.separate_options:
            row[t("'Not relevant' possible")] = t("yes") if q.not_relevant else t("no")
        row[t("Our answer")] = ""
        row[t("Comment")] = ""
        rows.append(row)
    return pd.DataFrame(rows)


def questionnaire_xlsx(questionnaire: Questionnaire, lang: str) -> bytes:
    sheets = {translate(lang, "Questionnaire"): questionnaire_frame(questionnaire, lang)}
    if questionnaire.previous is not None:
        sheets[translate(lang, "Changes")] = changes_frame(
            question_changes(questionnaire.previous, questionnaire.id), lang
        )
    return to_xlsx(sheets)


def changes_frame(changes: list[QuestionChange], lang: str) -> pd.DataFrame:
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    return pd.DataFrame(
        [
            {
                t("Change"): t(STATUS_NAMES[c.status]),
                t("Question id"): c.question_id,
                t("Title"): c.title.get(lang),
                t("Note"): (
                    t("replaces {ids}", ids=", ".join(c.replaces))
                    if c.replaces
                    else (c.reason.get(lang) if c.reason else "")
                ),
            }
            for c in changes
        ],
        columns=[t("Change"), t("Question id"), t("Title"), t("Note")],
    )


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.footer_text = footer_text
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=15)
        if (FONT_DIR / "DejaVuSans.ttf").exists():
            self.add_font("Body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family_name = "Body"
        else:  # the core font covers æøå; anything it cannot show becomes '?'
            self.family_name = "Helvetica"

    def footer(self) -> None:
        self.set_y(-11)
        self.set_font(self.family_name, "", 7)
        self.cell(0, 5, self.safe(f"{self.footer_text} · {self.page_no()}"), align="C")

    def safe(self, text: str) -> str:
        if self.family_name == "Helvetica":
            return text.encode("cp1252", "replace").decode("cp1252")
        return text

    def para(
        self, text: str, size: float = 9, bold: bool = False, height: float = 4.5, indent: float = 0
    ) -> None:
        self.set_font(self.family_name, "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, height, self.safe(text), new_x="LMARGIN", new_y="NEXT")


def questionnaire_pdf(questionnaire: Questionnaire, lang: str) -> bytes:
    """Every question with its help, legal references and five levels, to read before answering."""
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    title = questionnaire.title.get(lang)
    pdf = _Pdf(f"{title} ({questionnaire.id})")
    pdf.set_title(title)
    pdf.add_page()
    pdf.para(title, size=16, bold=True, height=8)
    intro = t(
        "Version {version}. Read the questions with your colleagues before you answer.",
        version=questionnaire.id,
    )
    if questionnaire.minutes:
        intro += " " + t("Answering takes about {n} minutes.", n=questionnaire.minutes)
    pdf.para(intro)
    answers = [answer_name(questionnaire, DONT_KNOW, lang)]
    if questionnaire.scale.separate_options:
        answers.append(answer_name(questionnaire, NOT_RELEVANT, lang))
    pdf.para(t("Besides the five levels you can answer: {answers}.", answers=" / ".join(answers)))
    for dimension in questionnaire.dimensions:
        pdf.ln(3)
        pdf.para(dimension.name.get(lang), size=13, bold=True, height=7)
        pdf.para(dimension.description.get(lang), size=8.5)
        for q in questionnaire.questions_in(dimension.id):
            pdf.ln(2)
            pdf.para(f"{q.id} · {q.title.get(lang)}", size=10.5, bold=True, height=5.5)
            pdf.para(q.text.get(lang))
            pdf.para(t("Help") + ": " + q.help.get(lang), size=8.5)
            for line in legal_lines(questionnaire, q, lang):
                pdf.para("§ " + line, size=8, indent=4)
            for level in LEVELS:
                pdf.para(level_text(questionnaire, q, level, lang), size=8.5, indent=4)
            if questionnaire.scale.separate_options and q.not_relevant:
                pdf.para(t("'Not relevant' can be chosen for this question."), size=8, indent=4)
    return bytes(pdf.output())
