"""The improvement plan as texts and rows in the reader's language, for any renderer: the page,
the leadership PDF's second page and the Excel sheet all read it from here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from ioa_assess.i18n import fmt_date, fmt_number, translate
from ioa_assess.questionnaire import Questionnaire
from ioa_assess.services.agenda import PlanEntry
from ioa_assess.services.plans import (
    FELL,
    NOT_ANSWERED,
    NOT_COMPARABLE,
    NOT_YET,
    ROSE,
    SAME,
    STATUS_NAMES,
    ActionView,
    Outcome,
    PlanCount,
    PlanOverview,
)

TOP_ACTIONS = 10  # rows on the PDF's plan page
# Longer texts are cut in the PDF's cells (about three lines each), so that the rows always fit.
CUT_TITLE, CUT_ADDRESSES, CUT_OWNER, CUT_CHANGE = 75, 60, 45, 60
NAMES_SHOWN = 5  # bodies named in an agenda entry; the learn-from-whom list has them all


def addresses(action: ActionView, questionnaire: Questionnaire, lang: str) -> str:
    """The questions (or the dimension) an action addresses, by name."""
    known = questionnaire.dimension_of()
    names = [questionnaire.question(q).title.get(lang) for q in action.question_ids if q in known]
    if names:
        return "; ".join(names)
    if action.dimension_id and action.dimension_id in {d.id for d in questionnaire.dimensions}:
        return questionnaire.dimension(action.dimension_id).name.get(lang)
    return "–"


def outcome_text(outcome: Outcome, lang: str) -> str:
    """ "from level 2 to 3", "no change (level 2)", "not comparable", ..."""
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    if outcome.verdict == NOT_YET:
        return t("not measured yet")
    if outcome.verdict == NOT_COMPARABLE:
        return t("not comparable: the questionnaire changed")
    if outcome.verdict == NOT_ANSWERED:
        return t("not comparable: not answered in both rounds")
    before, after = fmt_number(outcome.before, lang, 1), fmt_number(outcome.after, lang, 1)
    if not outcome.is_dimension:
        before, after = str(int(outcome.before or 0)), str(int(outcome.after or 0))
    if outcome.verdict == SAME:
        return t("no change (level {level})", level=before)
    if outcome.verdict in (ROSE, FELL):
        return t("from level {before} to {after}", before=before, after=after)
    return "–"


def change_text(action: ActionView, questionnaire: Questionnaire, lang: str) -> str:
    """The change of each addressed question at the body's next round, in one line."""
    if not action.outcomes:
        return "–"
    if len(action.outcomes) == 1:
        return outcome_text(action.outcomes[0], lang)
    known = questionnaire.dimension_of()
    parts = []
    for outcome in action.outcomes:
        name = outcome.subject
        if not outcome.is_dimension and outcome.subject in known:
            name = questionnaire.question(outcome.subject).title.get(lang)
        parts.append(f"{name}: {outcome_text(outcome, lang)}")
    return "; ".join(parts)


def status_text(action: ActionView, lang: str) -> str:
    text = translate(lang, STATUS_NAMES[action.status])
    if action.approved_on:
        text += ", " + translate(lang, "approved")
    return text


def _due(action: ActionView, today: date, lang: str) -> str:
    if action.due_on is None:
        return "–"
    text = fmt_date(action.due_on, lang)
    return text + " (" + translate(lang, "overdue") + ")" if action.overdue(today) else text


def plan_frame(plan: PlanOverview, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """Every action of the plan, one row each, with its change at the next round."""
    t = lambda s: translate(lang, s)  # noqa: E731
    rows = [
        {
            t("Action"): a.title,
            t("What will be done"): a.description,
            t("Addresses"): addresses(a, questionnaire, lang),
            t("Level aimed for"): a.target_level if a.target_level else "–",
            t("Owner"): a.owner or "–",
            t("Due"): _due(a, plan.today, lang),
            t("Status"): status_text(a, lang),
            t("Change at the next round"): change_text(a, questionnaire, lang),
            t("Progress notes"): "\n".join(
                f"{fmt_date(n.written_at.date(), lang)}: {n.text}" for n in a.notes
            ),
        }
        for a in plan.actions
    ]
    columns = [
        t("Action"),
        t("What will be done"),
        t("Addresses"),
        t("Level aimed for"),
        t("Owner"),
        t("Due"),
        t("Status"),
        t("Change at the next round"),
        t("Progress notes"),
    ]
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class PlanPage:
    """The plan page of the leadership report, ready to be laid out by any renderer."""

    title: str
    lines: list[str]  # figures above the table
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # relative column widths
    empty: str  # what to print when there are no rows
    footnote: str


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plan_page(plan: PlanOverview, questionnaire: Questionnaire, body_name: str, lang: str) -> PlanPage:
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    lines = [
        t("Overdue: {n}", n=len(plan.overdue))
        + "   |   "
        + t("Due in the next 30 days: {n}", n=len(plan.due_soon))
        + "   |   "
        + t("Done since the last round: {n}", n=len(plan.done_since_last_round)),
    ]
    top = plan.top[:TOP_ACTIONS]
    rows = [
        [
            _cut(a.title, CUT_TITLE),
            _cut(addresses(a, questionnaire, lang), CUT_ADDRESSES),
            _cut(a.owner or "–", CUT_OWNER),
            _due(a, plan.today, lang),
            status_text(a, lang),
            _cut(change_text(a, questionnaire, lang), CUT_CHANGE),
        ]
        for a in top
    ]
    hidden = len(plan.top) - len(top)
    footnote = t(
        "Change at the next round: the level of each question the action addresses in the round it was "
        "made from and in the next submitted round."
    )
    if hidden > 0:
        footnote = t("{n} more actions are in the Excel file.", n=hidden) + " " + footnote
    return PlanPage(
        title=t("Improvement plan: {body}", body=body_name),
        lines=lines,
        headers=[
            t("Action"),
            t("Addresses"),
            t("Owner"),
            t("Due"),
            t("Status"),
            t("Change at the next round"),
        ],
        rows=rows,
        widths=[25, 19, 17, 13, 12, 14],
        empty=t("No actions are planned yet."),
        footnote=footnote,
    )


def _subject_name(subject: str, is_dimension: bool, questionnaire: Questionnaire, lang: str) -> str:
    if is_dimension and subject in {d.id for d in questionnaire.dimensions}:
        return questionnaire.dimension(subject).name.get(lang)
    if not is_dimension and subject in questionnaire.dimension_of():
        return f"{subject} · {questionnaire.question(subject).title.get(lang)}"
    return subject


def network_plans_frame(counts: list[PlanCount], questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """What the member bodies plan, per dimension and question (rows exist only for k bodies or more)."""
    t = lambda s: translate(lang, s)  # noqa: E731
    columns = [t("Addresses"), t("Bodies"), t("Planned or in progress"), t("Done"), t("Followed by a rise")]
    rows = [
        [
            (t("Dimension") if c.is_dimension else t("Question"))
            + ": "
            + _subject_name(c.subject, c.is_dimension, questionnaire, lang),
            c.bodies,
            c.open_actions,
            c.done_actions,
            c.followed_by_rise,
        ]
        for c in counts
    ]
    return pd.DataFrame(rows, columns=columns)


def plan_entry_text(entry: PlanEntry, questionnaire: Questionnaire, lang: str) -> str:
    """ "12 bodies plan actions on Market dialogue: invite someone at level 4-5 (Sola, Time)"."""
    t = lambda s, **v: translate(lang, s, **v)  # noqa: E731
    if entry.is_dimension or entry.subject not in questionnaire.dimension_of():
        subject = _subject_name(entry.subject, entry.is_dimension, questionnaire, lang)
    else:
        subject = "«" + questionnaire.question(entry.subject).title.get(lang) + "»"
    text = t(
        "{n} bodies plan actions on {subject}: invite someone at level 4–5", n=entry.bodies, subject=subject
    )
    if entry.leaders:
        names = ", ".join(n.body for n in entry.leaders[:NAMES_SHOWN])
        more = len(entry.leaders) - NAMES_SHOWN
        if more > 0:
            names += " " + t("and {n} more", n=more)
        return text + " (" + names + ")."
    return text + " " + t("(no body at level 4–5 has agreed to be named)") + "."
