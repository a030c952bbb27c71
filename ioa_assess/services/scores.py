"""Scores of whole rounds, read in one query per round (used by every comparison)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.reference import size_band
from ioa_assess.scoring import Result, score_assessment
from ioa_assess.storage.models import Assessment, Body, County, Response, Round


@dataclass(frozen=True)
class BodyInfo:
    id: int
    name: str
    kind: str
    county_number: int
    county: str
    population: int | None
    named_in_network: bool
    synthetic: bool

    @property
    def size_band(self) -> str | None:
        return size_band(self.population) if self.kind == "municipality" else None


def body_info(session: Session, body_ids: list[int] | None = None) -> dict[int, BodyInfo]:
    query = select(Body, County.name).join(County, County.number == Body.county_number)
    if body_ids is not None:
        query = query.where(Body.id.in_(body_ids))
    return {
        b.id: BodyInfo(
            b.id, b.name, b.kind, b.county_number, county, b.population, b.named_in_network, b.synthetic
        )
        for b, county in session.execute(query)
    }


def round_levels(session: Session, round_id: int, submitted_only: bool = True) -> dict[int, dict[str, int]]:
    """body id -> {question id -> level} for every assessment of a round."""
    query = (
        select(Assessment.body_id, Response.question_id, Response.level)
        .join(Response, Response.assessment_id == Assessment.id)
        .where(Assessment.round_id == round_id, Response.level.is_not(None))
    )
    if submitted_only:
        query = query.where(Assessment.status == "submitted")
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    for body_id, question_id, level in session.execute(query):
        levels[body_id][question_id] = level
    return dict(levels)


def round_results(session: Session, round_id: int, submitted_only: bool = True) -> dict[int, Result]:
    """body id -> scores, for the submitted assessments of a round (the ones peers are built from)."""
    rnd = session.get(Round, round_id)
    if rnd is None:
        return {}
    questionnaire = load_questionnaire(rnd.questionnaire_version)
    return {
        body_id: score_assessment(questionnaire, levels)
        for body_id, levels in round_levels(session, round_id, submitted_only).items()
    }
