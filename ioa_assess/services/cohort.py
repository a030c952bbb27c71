"""The network as facilitators and regional leaders see it: completion and anonymised spreads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select

from ioa_assess.peers import allowed, spread
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.scoring import progress_by_dimension
from ioa_assess.services.actor import Actor, NotFound, PermissionDenied
from ioa_assess.services.scores import body_info, round_levels, round_results
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Assessment, Network, NetworkMember, Round


@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    opens_on: date
    closes_on: date
    closed: bool
    questionnaire_version: str


@dataclass(frozen=True)
class NetworkInfo:
    id: int
    name: str
    members: int
    rounds: list[RoundInfo]


def _network_id(actor: Actor, network_id: int | None) -> int:
    if network_id is None:
        network_id = actor.network_id
    if network_id is None and actor.is_admin:
        with session_scope() as session:
            network_id = session.scalar(select(Network.id).order_by(Network.id))
    if network_id is None:
        raise NotFound("There is no network yet.")
    if not actor.sees_network_aggregates(network_id):
        raise PermissionDenied("You do not have access to this network.")
    return network_id


def network_info(actor: Actor, network_id: int | None = None) -> NetworkInfo:
    network_id = _network_id(actor, network_id)
    with session_scope() as session:
        network = session.get(Network, network_id)
        if network is None:
            raise NotFound("There is no network yet.")
        members = session.scalar(select(func.count()).where(NetworkMember.network_id == network_id)) or 0
        rounds = [
            RoundInfo(r.id, r.name, r.opens_on, r.closes_on, r.closed_at is not None, r.questionnaire_version)
            for r in session.scalars(
                select(Round).where(Round.network_id == network_id).order_by(Round.opens_on)
            )
        ]
        return NetworkInfo(network.id, network.name, members, rounds)


def _round_in_network(session, actor: Actor, round_id: int) -> Round:  # type: ignore[no-untyped-def]
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound("No such round.")
    if not actor.sees_network_aggregates(rnd.network_id):
        raise PermissionDenied("You do not have access to this network.")
    return rnd


@dataclass(frozen=True)
class CompletionRow:
    body_id: int
    body: str
    county: str
    kind: str
    status: str  # not_started, in_progress, submitted
    answered: int
    total: int
    last_activity: datetime | None


def completion(actor: Actor, round_id: int) -> list[CompletionRow]:
    """Each member body's state in a round: for facilitators, who run the network and remind."""
    with session_scope() as session:
        rnd = _round_in_network(session, actor, round_id)
        if not actor.runs_network(rnd.network_id):
            raise PermissionDenied("Only the network's facilitators see each body's progress.")
        questionnaire = load_questionnaire(rnd.questionnaire_version)
        member_ids = list(
            session.scalars(select(NetworkMember.body_id).where(NetworkMember.network_id == rnd.network_id))
        )
        infos = body_info(session, member_ids)
        assessments = {
            a.body_id: a for a in session.scalars(select(Assessment).where(Assessment.round_id == round_id))
        }
        levels = round_levels(session, round_id, submitted_only=False)
        total = len(questionnaire.questions)
        rows = []
        for body_id in member_ids:
            info = infos[body_id]
            assessment = assessments.get(body_id)
            answered = sum(
                a for a, _ in progress_by_dimension(questionnaire, levels.get(body_id, {})).values()
            )
            if assessment is None:
                status = "not_started"
            elif assessment.status == "submitted":
                status = "submitted"
            else:
                status = "in_progress"
            last = assessment.updated_at if assessment else None
            rows.append(
                CompletionRow(body_id, info.name, info.county, info.kind, status, answered, total, last)
            )
        return sorted(rows, key=lambda r: (r.status != "not_started", r.status != "in_progress", r.body))


def cohort_scores(actor: Actor, round_id: int) -> pd.DataFrame:
    """One row per submitted body and dimension, anonymised; empty when fewer than k bodies."""
    with session_scope() as session:
        rnd = _round_in_network(session, actor, round_id)
        results = round_results(session, round_id)
        if not allowed(len(results)):
            return pd.DataFrame(columns=["body", "dimension_id", "score"])
        rows = [
            {"body": f"#{index:03d}", "dimension_id": dimension_id, "score": score.value}
            for index, result in enumerate(results.values(), start=1)
            for dimension_id, score in result.dimensions.items()
            if score.value is not None
        ]
        del rnd
        return pd.DataFrame(rows)


def county_overview(actor: Actor, round_id: int) -> pd.DataFrame:
    """Overall maturity per county under the k rule: median and quartiles, or withheld."""
    with session_scope() as session:
        _round_in_network(session, actor, round_id)
        results = round_results(session, round_id)
        infos = body_info(session, list(results))
        rows = []
        for county in sorted({i.county for i in infos.values()}):
            values = [r.overall.value for b, r in results.items() if infos[b].county == county]
            s = spread([v for v in values if v is not None])
            rows.append(
                {
                    "county": county,
                    "bodies": len(values) if s else None,
                    "median": s.median if s else None,
                    "q1": s.q1 if s else None,
                    "q3": s.q3 if s else None,
                }
            )
        return pd.DataFrame(rows)
