"""The leadership summary of one body: maturity over time, peers, targets, strengths and gaps.

One plain data object feeds the page, the Excel export and the one-page PDF alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ioa_assess.comparability import Comparability, comparability
from ioa_assess.questionnaire import Questionnaire, load_questionnaire
from ioa_assess.scoring import is_level, next_level
from ioa_assess.services.actor import Actor, NotFound, PermissionDenied
from ioa_assess.services.plans import PlanOverview, plan_overview
from ioa_assess.services.results import Standing, history, standing

STRENGTHS_AND_GAPS = 3


@dataclass(frozen=True)
class TrendPoint:
    round_name: str
    own: float | None
    peer_median: float | None
    peer_q1: float | None
    peer_q3: float | None
    # Against the round before: None for the first; marked wherever it is not `fully` comparable.
    comparability: Comparability | None = None


@dataclass(frozen=True)
class Insight:
    """A strong or weak dimension, and the next step in its least mature question."""

    dimension_id: str
    score: float
    question_id: str | None
    current_level: int | None
    next_level: int | None


@dataclass(frozen=True)
class TargetStatus:
    dimension_id: str
    target: float
    current: float | None

    @property
    def gap(self) -> float | None:
        return None if self.current is None else self.target - self.current

    @property
    def met(self) -> bool:
        return self.current is not None and self.current >= self.target


@dataclass(frozen=True)
class LeadershipSummary:
    body_name: str
    round_name: str
    questionnaire_version: str
    generated_on: date
    standing: Standing
    trend: list[TrendPoint]
    strengths: list[Insight]
    gaps: list[Insight]
    targets: list[TargetStatus]
    plan: PlanOverview

    @property
    def overall(self) -> float | None:
        return self.standing.result.overall.value

    @property
    def change(self) -> float | None:
        previous = self.standing.previous_overall
        return None if self.overall is None or previous is None else self.overall - previous


def _insight(questionnaire: Questionnaire, result: Standing, dimension_id: str, score: float) -> Insight:
    answered = [
        (result.levels[q.id], q.id)
        for q in questionnaire.questions_in(dimension_id)
        if is_level(result.levels.get(q.id))
    ]
    if not answered:
        return Insight(dimension_id, score, None, None, None)
    level, question_id = min(answered)
    return Insight(dimension_id, score, question_id, level, next_level(level))


def leadership_summary(actor: Actor, today: date | None = None) -> LeadershipSummary:
    """For leaders and agency leads of a body: its latest submitted round and all rounds before it."""
    if actor.role not in ("leader", "agency_lead", "admin") or actor.body_id is None:
        raise PermissionDenied("Only the organisation's leaders can see its leadership summary.")
    points = history(actor)
    if not points:
        raise NotFound("Your organisation has not submitted an assessment yet.")
    latest = points[-1]
    result = standing(actor, "network", round_id=latest.round_id)
    questionnaire = load_questionnaire(result.questionnaire_version)
    scored = sorted(
        ((d.own, d.dimension_id) for d in result.dimensions if d.own is not None), key=lambda item: -item[0]
    )
    strengths = [_insight(questionnaire, result, d, s) for s, d in scored[:STRENGTHS_AND_GAPS]]
    gaps = [_insight(questionnaire, result, d, s) for s, d in reversed(scored[-STRENGTHS_AND_GAPS:])]
    trend = [
        TrendPoint(
            p.round_name,
            p.own.overall.value,
            p.peer_overall.median if p.peer_overall else None,
            p.peer_overall.q1 if p.peer_overall else None,
            p.peer_overall.q3 if p.peer_overall else None,
            comparability(before.questionnaire_version, p.questionnaire_version) if before else None,
        )
        for before, p in zip([None, *points[:-1]], points, strict=True)
    ]
    targets = [
        TargetStatus(d.dimension_id, d.target, d.own) for d in result.dimensions if d.target is not None
    ]
    return LeadershipSummary(
        body_name=result.body_name,
        round_name=result.round_name,
        questionnaire_version=result.questionnaire_version,
        generated_on=today or date.today(),
        standing=result,
        trend=trend,
        strengths=strengths,
        gaps=gaps,
        targets=targets,
        plan=plan_overview(actor, today),
    )
