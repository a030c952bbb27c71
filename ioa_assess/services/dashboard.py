"""The facilitator's dashboard: completion and who to remind, comparisons by county and kind of
body under the k rule, and the paired change between two rounds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select

from ioa_assess.comparability import Comparability, DimensionComparability, comparability
from ioa_assess.peers import TOO_FEW, allowed, spread, withheld_groups
from ioa_assess.questionnaire import Questionnaire, load_questionnaire
from ioa_assess.services.actor import Actor, InvalidInput, now
from ioa_assess.services.cohort import (
    CompletionRow,
    _round_in_network,
    completion,
    completion_key,
    round_pair_run_by,
)
from ioa_assess.services.mail_log import LastMessage, last_messages
from ioa_assess.services.memo import cached
from ioa_assess.services.published import Snapshot, round_snapshot
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Invitation, SentMessage

STATUSES = ("not_started", "in_progress", "submitted")
OVERALL = "overall"
GROUPINGS = ("county", "kind")


@dataclass(frozen=True)
class CompletionSummary:
    rows: list[CompletionRow]
    counts: dict[str, int]  # status -> bodies
    by_county: pd.DataFrame  # group, members, not_started, in_progress, submitted
    by_kind: pd.DataFrame
    key: tuple[object, ...] = ()  # what it was computed from: a cache key for tables built from it


def _counts_by(rows: list[CompletionRow], attribute: str) -> pd.DataFrame:
    groups = sorted({getattr(r, attribute) for r in rows})
    table = []
    for group in groups:
        in_group = [r for r in rows if getattr(r, attribute) == group]
        counted = Counter(r.status for r in in_group)
        table.append({"group": group, "members": len(in_group)} | {s: counted.get(s, 0) for s in STATUSES})
    return pd.DataFrame(table, columns=["group", "members", *STATUSES])


def completion_summary(actor: Actor, round_id: int) -> CompletionSummary:
    """Each body's state (facilitators of the network only), with the counts per county and kind."""
    key, _, _ = completion_key(actor, round_id)
    return cached(("summary", key), lambda: _summary(completion(actor, round_id), key))


def _summary(rows: list[CompletionRow], key: tuple[object, ...]) -> CompletionSummary:
    counted = Counter(r.status for r in rows)
    return CompletionSummary(
        rows=rows,
        counts={s: counted.get(s, 0) for s in STATUSES},
        by_county=_counts_by(rows, "county"),
        by_kind=_counts_by(rows, "kind"),
        key=key,
    )


@dataclass(frozen=True)
class RemindRow:
    body: str
    county: str
    kind: str
    status: str
    answered: int
    total: int
    last_activity: datetime | None
    active_codes: int
    code_last_used: datetime | None
    last_email: LastMessage | None = None  # the latest invitation or reminder sent by e-mail
    last_email: LastMessage | None = None  # the latest invitation or reminder sent by e-mail


def remind_list(actor: Actor, round_id: int) -> list[RemindRow]:
    """The bodies that have not submitted: not started first, then the least answered.

    Kept until the completion or the round's codes change, or for a minute at most (codes expire).
    """
    return remind_list_and_key(actor, round_id)[0]


def remind_list_and_key(
    actor: Actor, round_id: int, summary: CompletionSummary | None = None
) -> tuple[list[RemindRow], tuple[object, ...]]:
    """The remind list, and what it was computed from (a cache key for tables built from it).
    Given the round's completion summary, its key is not read again."""
    key = remind_key(actor, round_id, summary)
    return cached(key, lambda: _remind_list(completion(actor, round_id), round_id, now())), key


def remind_key(actor: Actor, round_id: int, summary: CompletionSummary | None = None) -> tuple[object, ...]:
    """What the remind list is computed from: the completion, the round's codes, the minute."""
    key = summary.key if summary is not None and summary.key else completion_key(actor, round_id)[0]
    with session_scope() as session:
        codes_state = session.execute(
            select(
                func.count(),
                func.max(Invitation.created_at),
                func.max(Invitation.revoked_at),
                func.max(Invitation.last_used_at),
            ).where(Invitation.round_id == round_id)
        ).one()
        mails = session.execute(
            select(func.count(), func.max(SentMessage.sent_at)).where(SentMessage.round_id == round_id)
        ).one()
    return ("remind", key, tuple(codes_state), tuple(mails), now().replace(second=0, microsecond=0))


def _remind_list(completed: list[CompletionRow], round_id: int, current: datetime) -> list[RemindRow]:
    rows = [r for r in completed if r.status != "submitted"]
    with session_scope() as session:
        query = (
            select(Invitation.body_id, func.count(), func.max(Invitation.last_used_at))
            .where(
                Invitation.round_id == round_id,
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > current,
            )
            .group_by(Invitation.body_id)
        )
        codes = {body_id: (count, last) for body_id, count, last in session.execute(query)}
        mailed = last_messages(session, round_id)
    reminded = [
        RemindRow(
            r.body,
            r.county,
            r.kind,
            r.status,
            r.answered,
            r.total,
            r.last_activity,
            codes.get(r.body_id, (0, None))[0],
            codes.get(r.body_id, (0, None))[1],
            mailed.get(r.body_id),
        )
        for r in rows
    ]
    return sorted(reminded, key=lambda r: (r.status != "not_started", r.answered, r.body))


def _spread_row(values: list[float | None]) -> dict[str, float | int | None]:
    s = spread([v for v in values if v is not None])
    if s is None:
        return {"bodies": None, "low": None, "q1": None, "median": None, "q3": None, "high": None}
    return {"bodies": s.n, "low": s.low, "q1": s.q1, "median": s.median, "q3": s.q3, "high": s.high}


def group_comparison(actor: Actor, round_id: int, by: str) -> pd.DataFrame:
    """Overall and per-dimension spreads per county (or kind of body), under the k rule.

    A group with fewer than k submitted bodies is withheld ("too_few"), and so is one that differs
    from a larger group the dashboard also shows (the network, another county or kind) by fewer than
    k bodies ("differencing"). Columns: group, measure (dimension id or "overall"), withheld,
    bodies, low, q1, median, q3, high.
    """
    if by not in GROUPINGS:
        raise InvalidInput("Unknown grouping.")
    with session_scope() as session:
        rnd = _round_in_network(session, actor, round_id)
        questionnaire = load_questionnaire(rnd.questionnaire_version)
    snapshot = round_snapshot(round_id)
    if snapshot is None:
        return pd.DataFrame(columns=COMPARISON_COLUMNS)
    return cached(
        ("group-comparison", snapshot.id, by), lambda: _group_comparison(snapshot, questionnaire, by)
    )


COMPARISON_COLUMNS = ["group", "measure", "withheld", "bodies", "low", "q1", "median", "q3", "high"]


def _value(snapshot: Snapshot, body_id: int, measure: str) -> float | None:
    return snapshot.overall[body_id] if measure == OVERALL else snapshot.dimensions[body_id].get(measure)


def _group_comparison(snapshot: Snapshot, questionnaire: Questionnaire, by: str) -> pd.DataFrame:
    results = {b for b in snapshot.bodies if snapshot.overall[b] is not None}
    infos = snapshot.bodies
    groups: dict[str, set[int]] = {"network:": set(results)}
    for body_id in results:
        info = infos[body_id]
        groups.setdefault(f"county:{info.county}", set()).add(body_id)
        groups.setdefault(f"kind:{info.kind}", set()).add(body_id)
    withheld = withheld_groups(groups) if allowed(len(results)) else dict.fromkeys(groups, TOO_FEW)
    measures = [OVERALL, *(d.id for d in questionnaire.dimensions)]
    rows = []
    for key in sorted(k for k in groups if k.startswith(f"{by}:")):
        ids = groups[key]
        reason = withheld.get(key)
        for measure in measures:
            values = [_value(snapshot, b, measure) for b in ids]
            stats = _spread_row(values if reason is None else [])
            rows.append({"group": key.split(":", 1)[1], "measure": measure, "withheld": reason} | stats)
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


@dataclass(frozen=True)
class PairedChange:
    baseline_round: str
    followup_round: str
    paired: int  # bodies that submitted both rounds
    frame: pd.DataFrame  # measure, bodies, before, after, change, change_q1, change_q3, improved, declined
    # How far each measure can be compared (the rounds may use different questionnaire versions).
    comparability: Comparability | None = None

    def measure_comparability(self, measure: str) -> Comparability | DimensionComparability | None:
        if self.comparability is None:
            return None
        return self.comparability if measure == OVERALL else self.comparability.dimensions.get(measure)


def paired_change(actor: Actor, baseline_round_id: int, followup_round_id: int) -> PairedChange:
    """Change per dimension between two rounds of one network, over the bodies that submitted both.

    For each measure only bodies with a score in both rounds count; a measure with fewer than k such
    bodies is withheld (its numbers are None). before/after are the medians in each round, change is
    the median of each body's own change.
    """
    with session_scope() as session:
        before_round, after_round = round_pair_run_by(session, actor, baseline_round_id, followup_round_id)
        before_dims = {d.id for d in load_questionnaire(before_round.questionnaire_version).dimensions}
        after_q = load_questionnaire(after_round.questionnaire_version)
        names = (before_round.name, after_round.name)
        compared = comparability(before_round.questionnaire_version, after_round.questionnaire_version)
    before, after = round_snapshot(baseline_round_id), round_snapshot(followup_round_id)
    measures = [OVERALL, *(d.id for d in after_q.dimensions if d.id in before_dims)]
    key = ("paired-change", before.id if before else None, after.id if after else None, tuple(measures))
    return cached(key, lambda: _paired_change(before, after, measures, names, compared))


def _paired_change(
    before: Snapshot | None,
    after: Snapshot | None,
    measures: list[str],
    names: tuple[str, str],
    compared: Comparability | None,
) -> PairedChange:
    """Both rounds as published: so a submission changes nothing here until it is published."""
    paired = sorted(set(before.bodies) & set(after.bodies)) if before and after else []
    rows = []
    for measure in measures:
        pairs = [(_value(before, b, measure), _value(after, b, measure)) for b in paired]  # type: ignore[arg-type]
        pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
        row: dict[str, object] = {"measure": measure, "bodies": len(pairs)}
        changes = spread([y - x for x, y in pairs])
        if changes is None or not allowed(len(pairs)):
            row |= dict.fromkeys(
                ("before", "after", "change", "change_q1", "change_q3", "improved", "declined")
            )
        else:
            row |= {
                "before": spread([x for x, _ in pairs]).median,  # type: ignore[union-attr]
                "after": spread([y for _, y in pairs]).median,  # type: ignore[union-attr]
                "change": changes.median,
                "change_q1": changes.q1,
                "change_q3": changes.q3,
                "improved": sum(1 for x, y in pairs if y > x),
                "declined": sum(1 for x, y in pairs if y < x),
            }
        rows.append(row)
    columns = [
        "measure",
        "bodies",
        "before",
        "after",
        "change",
        "change_q1",
        "change_q3",
        "improved",
        "declined",
    ]
    return PairedChange(names[0], names[1], len(paired), pd.DataFrame(rows, columns=columns), compared)
