"""The workshop agenda: where the cohort is weakest, most divided, and what moved between rounds;
where bodies disagree most internally; and "learn from whom" for one question. Question statistics
follow the k rule."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import pandas as pd

from ioa_assess.comparability import comparable_questions
from ioa_assess.disagreement import APART
from ioa_assess.peers import allowed, spread
from ioa_assess.questionnaire import Questionnaire, load_questionnaire
from ioa_assess.scoring import is_level, level_band
from ioa_assess.services.actor import Actor, InvalidInput
from ioa_assess.services.cohort import _round_run_by, round_pair_run_by
from ioa_assess.services.memo import cached
from ioa_assess.services.plans import network_plans
from ioa_assess.services.published import named_in_snapshot, round_snapshot
from ioa_assess.storage.engine import session_scope

REASONS = ("lowest_median", "widest_spread", "improved", "declined")
MAX_TOP = 20
LEADING_LEVELS = (4, 5)
LEARNING_LEVELS = (1, 2)
QUESTION_COLUMNS = ["question_id", "dimension_id", "order", "bodies", "low", "q1", "median", "q3", "high"]


def _scored(levels: dict[int, dict[str, int]], question_id: str) -> dict[int, int]:
    """body id -> level 1-5 for one question ("don't know" and "not relevant" left out)."""
    return {b: lv[question_id] for b, lv in levels.items() if is_level(lv.get(question_id))}


def question_spreads(actor: Actor, round_id: int) -> pd.DataFrame:
    """Per question over the submitted bodies: spread, mean and IQR; fewer than k answers: no row."""
    with session_scope() as session:
        rnd = _round_run_by(session, actor, round_id)
        questionnaire = load_questionnaire(rnd.questionnaire_version)
    snapshot = round_snapshot(round_id)
    if snapshot is None:
        return pd.DataFrame(columns=[*QUESTION_COLUMNS, "iqr", "mean", "stdev"])
    return cached(
        ("question-spreads", snapshot.id), lambda: _question_spreads(questionnaire, snapshot.levels)
    )


def _question_spreads(questionnaire: Questionnaire, levels: dict[int, dict[str, int]]) -> pd.DataFrame:
    rows = []
    for order, question in enumerate(questionnaire.questions):
        values = list(_scored(levels, question.id).values())
        s = spread(values)
        if s is None:
            continue
        rows.append(
            {
                "question_id": question.id,
                "dimension_id": question.dimension,
                "order": order,
                "bodies": s.n,
                "low": s.low,
                "q1": s.q1,
                "median": s.median,
                "q3": s.q3,
                "high": s.high,
                "iqr": s.q3 - s.q1,
                "mean": statistics.fmean(values),
                "stdev": statistics.pstdev(values),
            }
        )
    return pd.DataFrame(rows, columns=[*QUESTION_COLUMNS, "iqr", "mean", "stdev"])


def question_changes(actor: Actor, round_id: int, earlier_round_id: int) -> pd.DataFrame:
    """Per question, each body's change in level between two rounds, over the bodies that submitted
    both and gave a level in both; fewer than k such bodies: no row. Only questions that mean the
    same in both rounds' questionnaires (same or reworded) are compared."""
    with session_scope() as session:
        earlier, rnd = round_pair_run_by(session, actor, earlier_round_id, round_id)
        questionnaire = load_questionnaire(rnd.questionnaire_version)
        comparable = frozenset(comparable_questions(earlier.questionnaire_version, rnd.questionnaire_version))
    before, after = round_snapshot(earlier_round_id), round_snapshot(round_id)
    key = ("question-changes", before.id if before else None, after.id if after else None, comparable)
    return cached(
        key,
        lambda: _question_changes(
            questionnaire, comparable, before.levels if before else {}, after.levels if after else {}
        ),
    )


def _question_changes(
    questionnaire: Questionnaire,
    comparable: frozenset[str],
    before: dict[int, dict[str, int]],
    after: dict[int, dict[str, int]],
) -> pd.DataFrame:
    rows = []
    for order, question in enumerate(questionnaire.questions):
        if question.id not in comparable:
            continue
        old, new = _scored(before, question.id), _scored(after, question.id)
        changes = [new[b] - old[b] for b in sorted(set(old) & set(new))]
        if not allowed(len(changes)):
            continue
        s = spread(changes)
        assert s is not None
        rows.append(
            {
                "question_id": question.id,
                "dimension_id": question.dimension,
                "order": order,
                "bodies": len(changes),
                "change": statistics.fmean(changes),
                "median_change": s.median,
                "improved": sum(1 for c in changes if c > 0),
                "declined": sum(1 for c in changes if c < 0),
            }
        )
    columns = [
        "question_id",
        "dimension_id",
        "order",
        "bodies",
        "change",
        "median_change",
        "improved",
        "declined",
    ]
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class AgendaItem:
    reason: str  # one of REASONS
    rank: int  # 1 = first on the agenda within its reason
    question_id: str
    dimension_id: str
    bodies: int
    median: float | None
    q1: float | None
    q3: float | None
    change: float | None  # mean change in level per paired body (improved/declined only)


def workshop_agenda(
    actor: Actor, round_id: int, earlier_round_id: int | None = None, top: int = 5
) -> list[AgendaItem]:
    """The questions to take into the workshop, ranked within each reason.

    - lowest_median: lowest cohort median (ties: lower mean, then questionnaire order);
    - widest_spread: widest interquartile range, where the cohort is divided (ties: larger standard
      deviation, then questionnaire order); questions where the middle half agrees are left out;
    - improved / declined: largest mean change per body between the earlier round and this one,
      over the bodies that answered both (ties: questionnaire order).
    """
    if not 1 <= top <= MAX_TOP:
        raise InvalidInput("Show between 1 and {n} questions per list.", n=MAX_TOP)
    stats = question_spreads(actor, round_id)
    items: list[AgendaItem] = []

    def add(reason: str, frame: pd.DataFrame) -> None:
        for rank, row in enumerate(frame.head(top).itertuples(index=False), start=1):
            record = row._asdict()
            items.append(
                AgendaItem(
                    reason=reason,
                    rank=rank,
                    question_id=record["question_id"],
                    dimension_id=record["dimension_id"],
                    bodies=int(record["bodies"]),
                    median=record.get("median"),
                    q1=record.get("q1"),
                    q3=record.get("q3"),
                    change=record.get("change"),
                )
            )

    add("lowest_median", stats.sort_values(["median", "mean", "order"], kind="stable"))
    divided = stats[stats["iqr"] > 0].sort_values(["iqr", "stdev", "order"], ascending=[False, False, True])
    add("widest_spread", divided)
    if earlier_round_id is not None:
        changes = question_changes(actor, round_id, earlier_round_id)
        spreads = stats.set_index("question_id")
        changes = changes.assign(
            median=[spreads["median"].get(q) for q in changes["question_id"]],
            q1=[spreads["q1"].get(q) for q in changes["question_id"]],
            q3=[spreads["q3"].get(q) for q in changes["question_id"]],
        )
        improved = changes[changes["change"] > 0].sort_values(["change", "order"], ascending=[False, True])
        declined = changes[changes["change"] < 0].sort_values(["change", "order"], ascending=[True, True])
        add("improved", improved)
        add("declined", declined)
    return items


@dataclass(frozen=True)
class InternalSpread:
    """One question: how far apart the people within a body were, over the bodies where two or more
    gave a level (never which bodies)."""

    question_id: str
    dimension_id: str
    bodies: int
    median_spread: float  # median over those bodies of highest minus lowest level
    apart_share: float  # share of those bodies whose people were APART levels or more apart


@dataclass(frozen=True)
class InternalDisagreement:
    enough: bool  # at least k submitted bodies in the published snapshot had several respondents
    questions: list[InternalSpread]


def internal_disagreement(actor: Actor, round_id: int, top: int = 5) -> InternalDisagreement:
    """Questions where bodies disagree most internally, from the round's published snapshot: per
    question the median of the within-body spreads, over the bodies where two or more people gave a
    level, each question over at least k such bodies; widest first (ties: more bodies apart, then
    the questionnaire's order). Nothing while fewer than k bodies had several respondents."""
    if not 1 <= top <= MAX_TOP:
        raise InvalidInput("Show between 1 and {n} questions per list.", n=MAX_TOP)
    with session_scope() as session:
        rnd = _round_run_by(session, actor, round_id)
        questionnaire = load_questionnaire(rnd.questionnaire_version)
    snapshot = round_snapshot(round_id)
    if snapshot is None:
        return InternalDisagreement(False, [])
    found = cached(
        ("internal-disagreement", snapshot.id),
        lambda: _internal_disagreement(questionnaire, snapshot.spreads),
    )
    return InternalDisagreement(found.enough, found.questions[:top])


def _internal_disagreement(
    questionnaire: Questionnaire, spreads: dict[int, dict[str, int]]
) -> InternalDisagreement:
    several = sum(1 for per_question in spreads.values() if per_question)
    if not allowed(several):
        return InternalDisagreement(False, [])
    ranked = []
    for order, question in enumerate(questionnaire.questions):
        values = [s[question.id] for s in spreads.values() if question.id in s]
        if not allowed(len(values)):
            continue
        row = InternalSpread(
            question_id=question.id,
            dimension_id=question.dimension,
            bodies=len(values),
            median_spread=float(statistics.median(values)),
            apart_share=sum(1 for v in values if v >= APART) / len(values),
        )
        ranked.append(((-row.median_spread, -row.apart_share, order), row))
    ranked.sort(key=lambda item: item[0])
    return InternalDisagreement(True, [row for _, row in ranked if row.median_spread > 0 or row.apart_share])


@dataclass(frozen=True)
class NamedLevel:
    body: str
    level: int


@dataclass(frozen=True)
class LearnFrom:
    question_id: str
    leaders: list[NamedLevel]  # level 4-5, agreed to be named
    learners: list[NamedLevel]  # level 1-2, agreed to be named
    not_named: int  # submitted bodies that have not agreed to be named (never listed)


def learn_from_whom(actor: Actor, round_id: int, question_id: str) -> LearnFrom:
    """For one question: the bodies at level 4-5 and at level 1-2 that agreed to be named in the
    network, so a facilitator can pair them. Only the network's facilitators see names."""
    with session_scope() as session:
        rnd = _round_run_by(session, actor, round_id)
        questionnaire = load_questionnaire(rnd.questionnaire_version)
        if question_id not in questionnaire.dimension_of():
            raise InvalidInput("Unknown question '{q}'.", q=question_id)
    snapshot = round_snapshot(round_id)
    if snapshot is None:
        return LearnFrom(question_id, [], [], 0)
    agreed = named_in_snapshot(snapshot.id)  # consent is read live: a withdrawn one counts at once
    answers = _scored(snapshot.levels, question_id)
    named = {b: level for b, level in answers.items() if b in agreed}

    def listed(wanted: tuple[int, ...]) -> list[NamedLevel]:
        chosen = [NamedLevel(snapshot.bodies[b].name, level) for b, level in named.items() if level in wanted]
        return sorted(chosen, key=lambda n: (-n.level if wanted == LEADING_LEVELS else n.level, n.body))

    not_named = len(snapshot) - len(agreed)
    return LearnFrom(question_id, listed(LEADING_LEVELS), listed(LEARNING_LEVELS), not_named)


@dataclass(frozen=True)
class PlanEntry:
    """An agenda entry from the members' plans: many bodies work on the same thing."""

    subject: str  # dimension or question id
    is_dimension: bool
    bodies: int  # member bodies with open actions on it (at least k)
    leaders: list[NamedLevel]  # bodies at level 4-5 on it that agreed to be named


def plan_entries(actor: Actor, round_id: int, top: int = 5) -> list[PlanEntry]:
    """The dimensions and questions most member bodies plan actions on (open actions, k rule), each
    with the named bodies at level 4-5 in the round who could be invited to tell how."""
    if not 1 <= top <= MAX_TOP:
        raise InvalidInput("Show between 1 and {n} questions per list.", n=MAX_TOP)
    with session_scope() as session:
        rnd = _round_run_by(session, actor, round_id)
        network_id = rnd.network_id
        questionnaire = load_questionnaire(rnd.questionnaire_version)
    # The round as published (see ioa_assess/peers.py); consent to be named is read live.
    snapshot = round_snapshot(round_id)
    agreed = named_in_snapshot(snapshot.id) if snapshot else frozenset()
    counts = [c for c in network_plans(actor, network_id) if c.open_actions]
    named = {b: snapshot.levels[b] for b in agreed} if snapshot else {}
    names = {b: snapshot.bodies[b].name for b in agreed} if snapshot else {}
    dimension_ids = {d.id for d in questionnaire.dimensions}
    entries = []
    for count in sorted(counts, key=lambda c: (-c.bodies, not c.is_dimension, c.subject))[:top]:
        if count.is_dimension and count.subject in dimension_ids:
            assert snapshot is not None or not named
            scores = {b: snapshot.dimensions[b].get(count.subject) for b in named}  # type: ignore[union-attr]
            bands = {b: level_band(s) for b, s in scores.items()}
            leading = [NamedLevel(names[b], band) for b, band in bands.items() if band in LEADING_LEVELS]
        elif not count.is_dimension and count.subject in questionnaire.dimension_of():
            leading = [
                NamedLevel(names[b], lv[count.subject])
                for b, lv in named.items()
                if lv.get(count.subject) in LEADING_LEVELS
            ]
        else:
            leading = []
        leading.sort(key=lambda n: (-n.level, n.body))
        entries.append(PlanEntry(count.subject, count.is_dimension, count.bodies, leading))
    return entries
