"""The facilitator's tables in the user's language: for the pages and for CSV / Excel downloads.

Bodies that may not be named appear as "Body A7" (their pseudonym in the round)."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from ioa_assess.i18n import N_, fmt_change, fmt_date, fmt_number, fmt_percent, translate
from ioa_assess.questionnaire import Questionnaire
from ioa_assess.reports.comparison_marks import mark_text
from ioa_assess.services.agenda import AgendaItem, InternalSpread, NamedLevel
from ioa_assess.services.cohort import CohortTable, CompletionRow
from ioa_assess.services.dashboard import OVERALL, PairedChange, RemindRow
from ioa_assess.services.mail_log import days_ago_text
from ioa_assess.services.network_admin import BodyChoice, InvitationRow, IssuedCode

STATUS_NAMES = {
    "not_started": N_("Not started"),
    "in_progress": N_("In progress"),
    "submitted": N_("Submitted"),
}
KIND_NAMES = {
    "municipality": N_("Municipality"),
    "county_council": N_("County council"),
    "health_trust": N_("Health trust"),
    "state_agency": N_("State agency"),
}
CODE_STATUS_NAMES = {"active": N_("Active"), "expired": N_("Expired"), "revoked": N_("Revoked")}
REASON_NAMES = {
    "lowest_median": N_("Lowest median"),
    "widest_spread": N_("Widest spread"),
    "improved": N_("Improved most"),
    "declined": N_("Declined most"),
}
WITHHELD_NAMES = {
    "too_few": N_("too few bodies"),
    "differencing": N_("hidden: would single out bodies"),
}


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def body_label(code: str, name: str | None, lang: str) -> str:
    return name if name else translate(lang, "Body {code}", code=code)


def kind_name(kind: str, lang: str) -> str:
    return translate(lang, KIND_NAMES.get(kind, kind))


def measure_name(questionnaire: Questionnaire, measure: str, lang: str) -> str:
    if measure == OVERALL:
        return translate(lang, "Overall maturity")
    return questionnaire.dimension(measure).name.get(lang)


def answered_percent(answered: int, total: int) -> int:
    """Whole per cent, halves rounded up (1 of 40 is 3 %, not Python's round-half-even 2 %)."""
    return math.floor(100 * answered / total + 0.5) if total else 0


def _status(row: CompletionRow | RemindRow, lang: str) -> str:
    name = translate(lang, STATUS_NAMES[row.status])
    if row.status == "in_progress":
        name += f" ({answered_percent(row.answered, row.total)} %)"
    return name


def completion_frame(rows: Iterable[CompletionRow], lang: str) -> pd.DataFrame:
    t = lambda s: translate(lang, s)  # noqa: E731
    return pd.DataFrame(
        [
            {
                t("Body"): r.body,
                t("County"): r.county,
                t("Kind"): kind_name(r.kind, lang),
                t("Status"): _status(r, lang),
                t("Answered"): f"{r.answered}/{r.total}",
                t("Last activity"): fmt_date(r.last_activity, lang),
            }
            for r in rows
        ],
        columns=[t("Body"), t("County"), t("Kind"), t("Status"), t("Answered"), t("Last activity")],
    )


def remind_frame(rows: Iterable[RemindRow], lang: str) -> pd.DataFrame:
    t = lambda s: translate(lang, s)  # noqa: E731
    columns = [t("Body"), t("County"), t("Status"), t("Answered"), t("Last activity")]
    columns += [t("Active codes"), t("Code last used"), t("Last e-mail")]
    return pd.DataFrame(
        [
            {
                t("Body"): r.body,
                t("County"): r.county,
                t("Status"): _status(r, lang),
                t("Answered"): f"{r.answered}/{r.total}",
                t("Last activity"): fmt_date(r.last_activity, lang),
                t("Active codes"): r.active_codes,
                t("Code last used"): fmt_date(r.code_last_used, lang),
                t("Last e-mail"): days_ago_text(r.last_email, lang) or "–",
            }
            for r in rows
        ],
        columns=columns,
    )


def counts_frame(counts: pd.DataFrame, lang: str, kinds: bool = False) -> pd.DataFrame:
    t = lambda s: translate(lang, s)  # noqa: E731
    groups = [kind_name(g, lang) for g in counts["group"]] if kinds else list(counts["group"])
    return pd.DataFrame(
        {
            t("Kind of body") if kinds else t("County"): groups,
            t("Members"): counts["members"],
            **{t(name): counts[status] for status, name in STATUS_NAMES.items()},
        }
    )


def cohort_data_frame(table: CohortTable, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """One row per shown body: overall and dimension scores (for the download)."""
    dims = questionnaire.dimensions
    columns = [translate(lang, "Body"), translate(lang, "Overall maturity")]
    columns += [d.name.get(lang) for d in dims]
    rows = [
        [body_label(r.code, r.name, lang), _r(r.overall), *(_r(r.dimensions.get(d.id)) for d in dims)]
        for r in table.rows
    ]
    return pd.DataFrame(rows, columns=columns)


def heatmap_frame(table: CohortTable, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """Long form for the heatmap: body, dimension, score (None: not enough answers)."""
    return pd.DataFrame(
        [
            {
                "body": body_label(r.code, r.name, lang),
                "dimension": d.name.get(lang),
                "score": r.dimensions.get(d.id),
            }
            for r in table.rows
            for d in questionnaire.dimensions
        ],
        columns=["body", "dimension", "score"],
    )


def comparison_frame(frame: pd.DataFrame, questionnaire: Questionnaire, lang: str, by: str) -> pd.DataFrame:
    """One row per group: bodies, overall quartiles and each dimension's median; withheld groups say why."""
    t = lambda s: translate(lang, s)  # noqa: E731
    rows = []
    for group, part in frame.groupby("group", sort=True):
        overall = part[part["measure"] == OVERALL].iloc[0]
        reason = overall["withheld"] if isinstance(overall["withheld"], str) else None
        label = kind_name(group, lang) if by == "kind" else group
        row = {
            t("Kind of body") if by == "kind" else t("County"): label,
            t("Bodies"): t(WITHHELD_NAMES[reason]) if reason else str(int(overall["bodies"])),
            t("Median"): _r(overall["median"]),
            t("Lower quartile"): _r(overall["q1"]),
            t("Upper quartile"): _r(overall["q3"]),
        }
        for measure in part[part["measure"] != OVERALL].itertuples():
            row[measure_name(questionnaire, measure.measure, lang)] = _r(measure.median)
        rows.append(row)
    return pd.DataFrame(rows)


def _middle_half(q1: float | None, q3: float | None, lang: str) -> str:
    if q1 is None or q3 is None or pd.isna(q1) or pd.isna(q3):
        return "–"
    return f"{fmt_number(q1, lang)}–{fmt_number(q3, lang)}"


def group_overall_frame(frame: pd.DataFrame, lang: str, by: str) -> pd.DataFrame:
    """One row per group for the page: bodies, median and middle half of the overall maturity;
    a withheld group says why instead of showing blanks."""
    t = lambda s: translate(lang, s)  # noqa: E731
    rows = []
    for group, part in frame.groupby("group", sort=True):
        overall = part[part["measure"] == OVERALL].iloc[0]
        reason = overall["withheld"] if isinstance(overall["withheld"], str) else None
        rows.append(
            {
                t("Kind of body") if by == "kind" else t("County"): kind_name(group, lang)
                if by == "kind"
                else group,
                t("Bodies"): t(WITHHELD_NAMES[reason]) if reason else str(int(overall["bodies"])),
                t("Median"): "–" if reason else fmt_number(_r(overall["median"]), lang),
                t("Middle half"): "–" if reason else _middle_half(overall["q1"], overall["q3"], lang),
            }
        )
    return pd.DataFrame(rows)


def group_dimension_frame(
    frame: pd.DataFrame, questionnaire: Questionnaire, lang: str, by: str
) -> pd.DataFrame:
    """Each dimension's median (rows) per shown group (columns): as many columns as groups, so the
    table fits the page however many dimensions there are."""
    shown = frame[(frame["measure"] != OVERALL) & frame["withheld"].isna() & frame["median"].notna()]
    if shown.empty:
        return pd.DataFrame()
    table = shown.pivot_table(index="measure", columns="group", values="median", sort=False)
    order = [d.id for d in questionnaire.dimensions if d.id in table.index]
    table = table.loc[order]
    table.columns = [kind_name(g, lang) if by == "kind" else g for g in table.columns]
    table.insert(0, translate(lang, "Dimension"), [measure_name(questionnaire, m, lang) for m in table.index])
    return table.reset_index(drop=True)


def dimension_summary_frame(strip: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per dimension: how many bodies have a score, the median and the middle half."""
    t = lambda s: translate(lang, s)  # noqa: E731
    grouped = strip.groupby("dimension", sort=False)["score"]
    counts = grouped.count()
    return pd.DataFrame(
        {
            t("Dimension"): list(counts.index),
            t("Bodies"): [int(n) for n in counts],
            t("Median"): [fmt_number(v, lang) for v in grouped.median()],
            t("Middle half"): [
                _middle_half(q1, q3, lang)
                for q1, q3 in zip(grouped.quantile(0.25), grouped.quantile(0.75), strict=True)
            ],
        }
    )


def spread_chart_frame(frame: pd.DataFrame, lang: str, by: str) -> pd.DataFrame:
    """The overall spread of the groups that are shown, for the chart: group, low, q1, median, q3, high."""
    shown = frame[(frame["measure"] == OVERALL) & frame["withheld"].isna() & frame["median"].notna()]
    groups = [kind_name(g, lang) if by == "kind" else g for g in shown["group"]]
    return shown[["low", "q1", "median", "q3", "high", "bodies"]].assign(group=groups).reset_index(drop=True)


def change_frame(change: PairedChange, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    t = lambda s: translate(lang, s)  # noqa: E731
    f = change.frame
    return pd.DataFrame(
        {
            t("Dimension"): [measure_name(questionnaire, m, lang) for m in f["measure"]],
            t("Paired bodies"): f["bodies"],
            change.baseline_round: [_r(v) for v in f["before"]],
            change.followup_round: [_r(v) for v in f["after"]],
            t("Median change"): [_r(v) for v in f["change"]],
            t("Improved"): f["improved"],
            t("Declined"): f["declined"],
            t("Comparability"): [mark_text(change.measure_comparability(m), lang) for m in f["measure"]],
        }
    )


def change_chart_frame(change: PairedChange, questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """measure, before, after, change for the measures that are shown."""
    f = change.frame.dropna(subset=["before", "after"])
    return pd.DataFrame(
        {
            "measure": [measure_name(questionnaire, m, lang) for m in f["measure"]],
            "before": f["before"].astype(float),
            "after": f["after"].astype(float),
            "change": f["change"].astype(float),
            "mark": [mark_text(change.measure_comparability(m), lang) for m in f["measure"]],
        }
    )


def agenda_frame(items: Iterable[AgendaItem], questionnaire: Questionnaire, lang: str) -> pd.DataFrame:
    """The workshop agenda as one ranked list, ready to print or take into the session."""
    t = lambda s: translate(lang, s)  # noqa: E731
    columns = [t("List"), t("Rank"), t("Question id"), t("Question"), t("Dimension"), t("Bodies")]
    columns += [t("Median"), t("Lower quartile"), t("Upper quartile"), t("Mean change")]
    rows = [
        [
            t(REASON_NAMES[i.reason]),
            i.rank,
            i.question_id,
            questionnaire.question(i.question_id).title.get(lang),
            questionnaire.dimension(i.dimension_id).name.get(lang),
            i.bodies,
            _r(i.median),
            _r(i.q1),
            _r(i.q3),
            _r(i.change),
        ]
        for i in items
    ]
    return pd.DataFrame(rows, columns=columns)


def agenda_display_frame(
    items: Iterable[AgendaItem], questionnaire: Questionnaire, lang: str
) -> pd.DataFrame:
    """One list of the agenda for the page: the question by its title (never its id), and the numbers
    that explain why it is on the list."""
    t = lambda s: translate(lang, s)  # noqa: E731
    rows = []
    for i in items:
        row = {
            t("Rank"): i.rank,
            t("Question"): questionnaire.question(i.question_id).title.get(lang),
            t("Dimension"): questionnaire.dimension(i.dimension_id).name.get(lang),
            t("Median"): fmt_number(_r(i.median), lang),
        }
        if i.reason in ("improved", "declined"):
            row[t("Mean change")] = fmt_change(i.change, lang)
        else:
            row[t("Middle half")] = _middle_half(i.q1, i.q3, lang)
        row[t("Bodies")] = i.bodies
        rows.append(row)
    return pd.DataFrame(rows)


def internal_disagreement_frame(
    rows: Iterable[InternalSpread], questionnaire: Questionnaire, lang: str
) -> pd.DataFrame:
    """Questions where bodies disagree most internally, for the page: no body is named or counted
    alone, only the bodies with several respondents together."""
    t = lambda s: translate(lang, s)  # noqa: E731
    return pd.DataFrame(
        [
            {
                t("Rank"): rank,
                t("Question"): questionnaire.question(r.question_id).title.get(lang),
                t("Dimension"): questionnaire.dimension(r.dimension_id).name.get(lang),
                t("Median spread within a body"): fmt_number(r.median_spread, lang),
                t("Bodies two or more levels apart"): fmt_percent(r.apart_share, lang),
                t("Bodies"): r.bodies,
            }
            for rank, r in enumerate(rows, start=1)
        ]
    )


def internal_disagreement_data_frame(
    rows: Iterable[InternalSpread], questionnaire: Questionnaire, lang: str
) -> pd.DataFrame:
    """The same list to take along (CSV / Excel): numbers stay numbers, the share in per cent."""
    t = lambda s: translate(lang, s)  # noqa: E731
    columns = [t("Rank"), t("Question"), t("Dimension"), t("Median spread within a body")]
    columns += [t("Bodies two or more levels apart (%)"), t("Bodies")]
    return pd.DataFrame(
        [
            [
                rank,
                questionnaire.question(r.question_id).title.get(lang),
                questionnaire.dimension(r.dimension_id).name.get(lang),
                float(r.median_spread),
                round(100 * r.apart_share, 1),
                r.bodies,
            ]
            for rank, r in enumerate(rows, start=1)
        ],
        columns=columns,
    )


def named_levels_frame(rows: Iterable[NamedLevel], lang: str) -> pd.DataFrame:
    t = lambda s: translate(lang, s)  # noqa: E731
    return pd.DataFrame([[r.body, r.level] for r in rows], columns=[t("Body"), t("Level")])


def bodies_frame(rows: Iterable[BodyChoice], lang: str) -> pd.DataFrame:
    t = lambda s: translate(lang, s)  # noqa: E731
    yes, no = t("yes"), t("no")
    return pd.DataFrame(
        [
            [
                r.name,
                r.county,
                kind_name(r.kind, lang),
                r.municipality_number or "",
                yes if r.named_in_network else no,
            ]
            for r in rows
        ],
        columns=[t("Body"), t("County"), t("Kind"), t("Municipality number"), t("Agreed to be named")],
    )


def issued_codes_frame(codes: Iterable[IssuedCode], lang: str) -> pd.DataFrame:
    t = lambda s: translate(lang, s)  # noqa: E731
    return pd.DataFrame(
        [[c.body, c.code, fmt_date(c.expires_at.date(), lang)] for c in codes],
        columns=[t("Body"), t("Invitation code"), t("Valid until")],
    )


def invitations_frame(rows: Iterable[InvitationRow], lang: str) -> pd.DataFrame:
    t = lambda s: translate(lang, s)  # noqa: E731
    return pd.DataFrame(
        [
            [
                r.body,
                "…" + r.hint,
                translate(lang, CODE_STATUS_NAMES[r.status]),
                fmt_date(r.expires_at.date(), lang),
                r.used_count,
                fmt_date(r.last_used_at, lang),
                fmt_date(r.created_at, lang),
            ]
            for r in rows
        ],
        columns=[
            *(t("Body"), t("Code ends with"), t("Status"), t("Valid until")),
            *(t("Used"), t("Last used"), t("Issued")),
        ],
    )
