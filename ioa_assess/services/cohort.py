"""The network as facilitators and regional leaders see it: completion and anonymised spreads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select

from ioa_assess.peers import allowed, spread
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.scoring import progress_by_dimension
from ioa_assess.services.actor import Actor, InvalidInput, NotFound, PermissionDenied, is_id
from ioa_assess.services.pseudonyms import network_salt, round_pseudonyms
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
    if network_id is None or not is_id(network_id):
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
    rnd = session.get(Round, round_id) if is_id(round_id) else None
    if rnd is None:
        raise NotFound("No such round.")
    if not actor.sees_network_aggregates(rnd.network_id):
        raise PermissionDenied("You do not have access to this network.")
    return rnd


def _round_run_by(session, actor: Actor, round_id: int) -> Round:  # type: ignore[no-untyped-def]
    """The round, if the actor runs its network: cohort statistics are for facilitators (and
    administrators); regional leaders see only the regional aggregates."""
    rnd = _round_in_network(session, actor, round_id)
    if not actor.runs_network(rnd.network_id):
        raise PermissionDenied("Only the network's facilitators see the cohort's statistics.")
    return rnd


def round_pair_run_by(session, actor: Actor, earlier_id: int, later_id: int) -> tuple[Round, Round]:  # type: ignore[no-untyped-def]
    """Two different rounds of one network that the actor runs (for change between measurements)."""
    if earlier_id == later_id:
        raise InvalidInput("Choose two different rounds.")
    earlier, later = _round_run_by(session, actor, earlier_id), _round_run_by(session, actor, later_id)
    if earlier.network_id != later.network_id:
        raise PermissionDenied("Both rounds must belong to the same network.")
    return earlier, later


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


@dataclass(frozen=True)
class CohortRow:
    """One submitted body's scores: a pseudonym code always, its name only where that is allowed."""

    code: str
    name: str | None
    overall: float | None
    dimensions: dict[str, float | None]


@dataclass(frozen=True)
class CohortTable:
    round_id: int
    questionnaire_version: str
    rows: list[CohortRow]
    submitted: int
    hidden: int  # bodies left out: not named, and fewer than k of them
    too_few: bool  # fewer than k submitted: nothing is shown


def cohort_table(actor: Actor, round_id: int, names: bool = False) -> CohortTable:
    """Each submitted body's scores, under the k rule.

    Only for those who run the network. A body is named only when `names` is asked for and the body
    agreed to be named in the network (Body.named_in_network); every other body appears under its
    pseudonym. Bodies that
    have not agreed are shown only when at least k of them have submitted: a facilitator knows who
    submitted, so fewer would single them out next to the named ones.
    """
    with session_scope() as session:
        rnd = _round_run_by(session, actor, round_id)
        network_id = rnd.network_id
    salt = network_salt(network_id)
    with session_scope() as session:
        rnd = _round_run_by(session, actor, round_id)
        results = round_results(session, round_id)
        if not allowed(len(results)):
            return CohortTable(round_id, rnd.questionnaire_version, [], len(results), len(results), True)
        infos = body_info(session, list(results))
        codes = round_pseudonyms(session, rnd, salt)
        show_names = names
        agreed = {b for b in results if infos[b].named_in_network}
        show_unnamed = allowed(len(results) - len(agreed))
        rows = [
            CohortRow(
                code=codes[body_id],
                name=infos[body_id].name if show_names and body_id in agreed else None,
                overall=result.overall.value,
                dimensions={d: s.value for d, s in result.dimensions.items()},
            )
            for body_id, result in results.items()
            if body_id in agreed or show_unnamed
        ]
        rows.sort(key=lambda r: (r.name is None, r.name or "", len(r.code), r.code))
        return CohortTable(
            round_id, rnd.questionnaire_version, rows, len(results), len(results) - len(rows), False
        )


def cohort_scores(actor: Actor, round_id: int) -> pd.DataFrame:
    """One row per shown body and dimension, under pseudonyms; empty when fewer than k bodies."""
    table = cohort_table(actor, round_id)
    rows = [
        {"body": row.code, "dimension_id": dimension_id, "score": score}
        for row in table.rows
        for dimension_id, score in row.dimensions.items()
        if score is not None
    ]
    return pd.DataFrame(rows, columns=["body", "dimension_id", "score"])


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
