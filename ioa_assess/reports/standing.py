"""Plain tables and texts of a body's standing, in the user's language (for pages and downloads)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ioa_assess.evidence import EVIDENCE_NAMES, EvidenceShare
from ioa_assess.i18n import N_, fmt_number, fmt_percent, translate
from ioa_assess.questionnaire import Questionnaire
from ioa_assess.reports.comparison_marks import mark_text
from ioa_assess.reports.questionnaire_doc import answer_name
from ioa_assess.scoring import is_level, level_band, next_level
from ioa_assess.services.results import Standing


def dimension_frame(standing: Standing, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    rows = []
    for d in standing.dimensions:
        peers = d.peers
        rows.append(
            {
                "dimension": questionnaire.dimension(d.dimension_id).name.get(lang),
                "own": d.own,
                "scored": d.scored,
                "not_relevant": d.not_relevant,
                "total": d.total,
                "low": peers.low if peers else None,
                "q1": peers.q1 if peers else None,
                "median": peers.median if peers else None,
                "q3": peers.q3 if peers else None,
                "high": peers.high if peers else None,
                "peers": peers.n if peers else None,
                "target": d.target,
                "previous": d.previous,
                "previous_mark": mark_text(d.previous_comparability, lang) if d.previous is not None else "",
                "dont_know": d.dont_know,
            }
        )
    frame = pd.DataFrame(rows)
    numeric = ["own", "low", "q1", "median", "q3", "high", "peers", "target", "previous"]
    frame[numeric] = frame[numeric].astype(float)  # missing values become NaN, not None
    return frame


def dimension_table(frame: pd.DataFrame, lang: str, ours: bool = False) -> pd.DataFrame:
    """The chart's numbers as text in the user's language, for a table below the chart. `ours`: the
    body's own report ("our score"), not a participant's view of it ("your score")."""
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    num = lambda v: fmt_number(v, lang) if pd.notna(v) else "–"  # noqa: E731

    def answered(scored: int, not_relevant: int, total: int) -> str:
        text = t("{scored} of {total}", scored=scored, total=total)
        return text + (" " + t("(+{n} not relevant)", n=not_relevant) if not_relevant else "")

    return pd.DataFrame(
        {
            t("Dimension"): frame["dimension"],
            t("Our score") if ours else t("Your score"): [num(v) for v in frame["own"]],
            t("Answered"): [
                answered(s, n, tot)
                for s, n, tot in zip(frame["scored"], frame["not_relevant"], frame["total"], strict=True)
            ],
            t("Median"): [num(v) for v in frame["median"]],
            t("Middle half"): [
                f"{num(q1)}–{num(q3)}" if pd.notna(q1) else "–"
                for q1, q3 in zip(frame["q1"], frame["q3"], strict=True)
            ],
            t("Target"): [num(v) for v in frame["target"]],
            t("Previous round"): [
                num(v) + (f" ({m})" if m else "")
                for v, m in zip(frame["previous"], frame["previous_mark"], strict=True)
            ],
        }
    )


def dimension_table_notes(lang: str) -> dict[str, str]:
    """What the table's short headings mean."""
    t = lambda s: translate(lang, s)  # noqa: E731
    return {
        t("Answered"): t("questions with a level, of all in the dimension"),
        t("Median"): t("the comparison group's median"),
        t("Middle half"): t("the middle half of the comparison group (lower to upper quartile)"),
    }


@dataclass(frozen=True)
class NextStep:
    question_id: str
    question_title: str
    current_level: int
    next_level: int
    next_level_name: str
    description: str


def ranked_dimensions(standing: Standing) -> list[str]:
    """Dimension ids from strongest to weakest, only those with a score."""
    scored = [d for d in standing.dimensions if d.own is not None]
    return [d.dimension_id for d in sorted(scored, key=lambda d: d.own or 0, reverse=True)]


def next_steps(
    standing: Standing, questionnaire: Questionnaire, dimension_id: str, lang: str
) -> list[NextStep]:
    """For each answered question of a dimension, lowest first: what the next level looks like."""
    steps = []
    for question in questionnaire.questions_in(dimension_id):
        level = standing.levels.get(question.id)
        if not is_level(level):
            continue
        target = next_level(level)
        if target is None:
            continue
        steps.append(
            NextStep(
                question_id=question.id,
                question_title=question.title.get(lang),
                current_level=level,
                next_level=target,
                next_level_name=questionnaire.scale.name(target, lang),
                description=question.levels[target].get(lang),
            )
        )
    return sorted(steps, key=lambda s: s.current_level)


def band_name(questionnaire: Questionnaire, value: float | None, lang: str) -> str:
    band = level_band(value)
    return questionnaire.scale.name(band, lang) if band else translate(lang, "not enough answers")


PROVISIONAL_NOTE = N_("provisional: the median of your colleagues' answers until the agency lead agrees")


def agreement_name(standing: Standing, question_id: str, lang: str) -> str:
    """ "agreed" or "provisional" for an answered question; blank when nobody answered it."""
    if question_id in standing.provisional:
        return translate(lang, "provisional")
    return translate(lang, "agreed") if question_id in standing.levels else ""


def evidence_name(standing: Standing, question_id: str, lang: str) -> str:
    """The agreed answer's evidence in words ("documented"); blank without an agreed level."""
    evidence = standing.evidence.get(question_id)
    if evidence is None or question_id in standing.provisional:
        return ""
    return translate(lang, EVIDENCE_NAMES.get(evidence.kind, EVIDENCE_NAMES["self"]))


def evidence_reference(standing: Standing, question_id: str) -> str:
    evidence = standing.evidence.get(question_id)
    return evidence.reference if evidence and question_id not in standing.provisional else ""


def evidence_line(share: EvidenceShare, lang: str) -> str:
    """How much of the score rests on documented or verified answers, as one sentence."""
    if share.share is None:
        return translate(lang, "No agreed answer with a level is in the score yet.")
    return translate(
        lang,
        "{n} of {m} answers in the score rest on documented or verified evidence ({share}).",
        n=share.backed,
        m=share.scored,
        share=fmt_percent(share.share, lang),
    )


def evidence_frame(standing: Standing, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """Per dimension and overall: the scored agreed answers, and how many rest on documented or
    verified evidence (numbers for a spreadsheet; the share in per cent)."""
    t = lambda s: translate(lang, s)  # noqa: E731

    def row(name: str, share: EvidenceShare) -> dict[str, object]:
        return {
            t("Dimension"): name,
            t("Agreed answers in the score"): share.scored,
            t("Documented or verified"): share.backed,
            t("Share (%)"): round(100 * share.share, 1) if share.share is not None else None,
        }

    rows = [
        row(questionnaire.dimension(d.dimension_id).name.get(lang), d.evidence) for d in standing.dimensions
    ]
    rows.append(row(t("Overall"), standing.evidence_share))
    frame = pd.DataFrame(rows)
    frame[t("Share (%)")] = frame[t("Share (%)")].astype(float)
    return frame


def disagreement_frame(standing: Standing, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """Where the body's people were furthest apart: the spread of their levels, never who said what."""
    t = lambda s: translate(lang, s)  # noqa: E731
    return pd.DataFrame(
        {
            t("Question"): [
                questionnaire.question(d.question_id).title.get(lang) for d in standing.disagreements
            ],
            t("Lowest"): [d.lowest for d in standing.disagreements],
            t("Median"): [d.median for d in standing.disagreements],
            t("Highest"): [d.highest for d in standing.disagreements],
            t("People"): [d.people for d in standing.disagreements],
        }
    )


def answers_frame(standing: Standing, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """The body's own answers and comments, agreed or provisional, with their evidence, and the peer
    median per question where allowed."""
    t = lambda s: translate(lang, s)  # noqa: E731
    rows = []
    for question in questionnaire.questions:
        level = standing.levels.get(question.id)
        rows.append(
            {
                t("Question id"): question.id,
                t("Dimension"): questionnaire.dimension(question.dimension).name.get(lang),
                t("Question"): question.title.get(lang),
                t("Level"): level if is_level(level) else None,
                t("Other answer"): answer_name(questionnaire, level, lang)
                if level is not None and not is_level(level)
                else "",
                t("Agreed or provisional"): agreement_name(standing, question.id, lang),
                t("Evidence"): evidence_name(standing, question.id, lang),
                t("Reference"): evidence_reference(standing, question.id),
                t("Comment"): standing.comments.get(question.id, ""),
                t("Peer median"): standing.peer_medians_by_question.get(question.id),
            }
        )
    frame = pd.DataFrame(rows)
    frame[t("Level")] = frame[t("Level")].astype("Int64")  # whole levels, blank when unanswered
    return frame


def scores_frame(standing: Standing, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """Numbers for a spreadsheet: each dimension and the overall score, with the peers where allowed."""
    t = lambda s: translate(lang, s)  # noqa: E731
    frame = dimension_frame(standing, questionnaire, lang)
    table = pd.DataFrame(
        {
            t("Dimension"): frame["dimension"],
            t("Your score"): frame["own"],
            t("Questions with a level"): frame["scored"],
            **(
                {questionnaire.scale.dont_know.get(lang): frame["dont_know"]}
                if questionnaire.scale.dont_know
                else {}
            ),
            questionnaire.scale.not_relevant.get(lang): frame["not_relevant"],
            t("Questions"): frame["total"],
            t("Peer median"): frame["median"],
            t("Lower quartile"): frame["q1"],
            t("Upper quartile"): frame["q3"],
            t("Peer bodies"): frame["peers"].astype("Int64"),
            t("Your target"): frame["target"],
            t("Previous round"): frame["previous"],
            t("Comparability"): frame["previous_mark"],
        }
    )
    peers = standing.overall_peers
    overall = {
        t("Dimension"): t("Overall"),
        t("Your score"): standing.result.overall.value,
        t("Peer median"): peers.median if peers else None,
        t("Lower quartile"): peers.q1 if peers else None,
        t("Upper quartile"): peers.q3 if peers else None,
        t("Peer bodies"): peers.n if peers else None,
        t("Previous round"): standing.previous_overall,
        t("Comparability"): mark_text(standing.previous_comparability, lang),
    }
    return pd.concat([table, pd.DataFrame([overall])], ignore_index=True)
