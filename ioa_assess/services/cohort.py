"""The network as facilitators and regional leaders see it: completion and anonymised spreads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from ioa_assess.config import k_anonymity
from ioa_assess.peers import allowed, spread
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.actor import Actor, InvalidInput, NotFound, PermissionDenied, is_id
from ioa_assess.services.memo import cached
from ioa_assess.services.published import (
    Snapshot,
    named_in_snapshot,
    publish,
    round_activity,
    round_snapshot,
    snapshot_state,
)
from ioa_assess.services.scores import body_info
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import (
    AnswerSet,
    Assessment,
    Body,
    Network,
    NetworkMember,
    PersonalAnswer,
    Response,
    Round,
    SnapshotScore,
)


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
    """Each member body's state in a round: for facilitators, who run the network and remind.

    Operational, so live: read in one grouped query, and kept until an answer, a submission or the
    membership changes (the cache key reads those in two small queries).
    """
    key, network_id, version = completion_key(actor, round_id)
    return cached(key, lambda: _completion_rows(round_id, network_id, version))


def completion_key(actor: Actor, round_id: int) -> tuple[tuple[object, ...], int, str]:
    """(cache key, network id, questionnaire version) of the round's completion, once the actor is
    checked: the key moves with every answer, submission and reopening, and with the members and
    their names (read live: a renamed body shows under its new name at once)."""
    with session_scope() as session:
        rnd = _round_in_network(session, actor, round_id)
        if not actor.runs_network(rnd.network_id):
            raise PermissionDenied("Only the network's facilitators see each body's progress.")
        network_id, version = rnd.network_id, rnd.questionnaire_version
        assessments = round_activity(session, round_id)
        # The members and their names, folded in the database into one row (exact, and cheap
        # beside reading thousands of rows).
        members = session.execute(
            select(
                func.count(),
                func.sum(Body.id),
                func.sum(Body.county_number),
                func.aggregate_strings(Body.name + "\t" + Body.kind, "\n"),
            )
            .join(NetworkMember, NetworkMember.body_id == Body.id)
            .where(NetworkMember.network_id == network_id)
        ).one()
    key = ("completion", round_id, tuple(assessments), tuple(members[:3]), hash(members[3]))
    return key, network_id, version


def _completion_rows(round_id: int, network_id: int, version: str) -> list[CompletionRow]:
    total = len(load_questionnaire(version).questions)
    # A question counts as answered when the body agreed an answer or one of its people gave one.
    answered = union(
        select(Response.assessment_id, Response.question_id)
        .join(Assessment, Assessment.id == Response.assessment_id)
        .where(Assessment.round_id == round_id, Response.level.is_not(None)),
        select(AnswerSet.assessment_id, PersonalAnswer.question_id)
        .join(AnswerSet, AnswerSet.id == PersonalAnswer.answer_set_id)
        .join(Assessment, Assessment.id == AnswerSet.assessment_id)
        .where(Assessment.round_id == round_id, PersonalAnswer.level.is_not(None)),
    ).subquery()
    query = (
        select(
            NetworkMember.body_id,
            Assessment.status,
            Assessment.updated_at,
            func.count(answered.c.question_id),
        )
        .outerjoin(
            Assessment, (Assessment.body_id == NetworkMember.body_id) & (Assessment.round_id == round_id)
        )
        .outerjoin(answered, answered.c.assessment_id == Assessment.id)
        .where(NetworkMember.network_id == network_id)
        .group_by(NetworkMember.body_id, Assessment.status, Assessment.updated_at)
    )
    with session_scope() as session:
        found = session.execute(query).all()
        infos = body_info(session, [body_id for body_id, *_ in found])
    rows = []
    for body_id, state, last, answered in found:
        info = infos[body_id]
        if state is None:
            status = "not_started"
        elif state == "submitted":
            status = "submitted"
        else:
            status = "in_progress"
        rows.append(CompletionRow(body_id, info.name, info.county, info.kind, status, answered, total, last))
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
    """Each body's scores in the round's published snapshot, under the k rule.

    Only for those who run the network. The rows come from the snapshot (see ioa_assess/peers.py),
    under the pseudonyms drawn for it, so a submission shows no new row until k more bodies have
    submitted. A body is named only when `names` is asked for and the body agreed to be named in
    the network (Body.named_in_network, read live so a withdrawn consent counts at once); every
    other body appears under its pseudonym. Bodies that have not agreed are shown only when at
    least k of them are in the snapshot: a facilitator knows who submitted, so fewer would single
    them out next to the named ones.
    """
    with session_scope() as session:
        rnd = _round_run_by(session, actor, round_id)
        version = rnd.questionnaire_version
    snapshot = round_snapshot(round_id)
    if snapshot is None:
        return CohortTable(round_id, version, [], 0, 0, True)
    agreed = named_in_snapshot(snapshot.id)
    key = ("cohort-table", snapshot.id, names, frozenset(agreed))
    return cached(key, lambda: _cohort_table(snapshot, version, names, agreed))


def _cohort_table(snapshot: Snapshot, version: str, names: bool, agreed: set[int]) -> CohortTable:
    show_unnamed = allowed(len(snapshot) - len(agreed))
    rows = [
        CohortRow(
            code=snapshot.codes[body_id],
            name=info.name if names and body_id in agreed else None,
            overall=snapshot.overall[body_id],
            dimensions=dict(snapshot.dimensions[body_id]),
        )
        for body_id, info in snapshot.bodies.items()
        if body_id in agreed or show_unnamed
    ]
    rows.sort(key=lambda r: (r.name is None, r.name or "", len(r.code), r.code))
    return CohortTable(snapshot.round_id, version, rows, len(snapshot), len(snapshot) - len(rows), False)


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


def dimension_statistics(actor: Actor, round_id: int) -> pd.DataFrame:
    """The cohort's spread per dimension in the published snapshot: dimension_id, bodies, low, q1,
    median, q3, high. Aggregated from the stored scores in one query, quartiles as peers.spread."""
    with session_scope() as session:
        _round_run_by(session, actor, round_id)
        snapshot_id, due = snapshot_state(session, round_id)
        if not due and snapshot_id is not None:
            return cached(
                ("dimension-statistics", snapshot_id), lambda: _dimension_statistics(session, snapshot_id)
            )
    snapshot_id = publish(round_id) if due else snapshot_id
    if snapshot_id is None:
        return pd.DataFrame(columns=STATISTICS_COLUMNS)
    with session_scope() as session:
        return cached(
            ("dimension-statistics", snapshot_id), lambda: _dimension_statistics(session, snapshot_id)
        )


STATISTICS_COLUMNS = ["dimension_id", "bodies", "low", "q1", "median", "q3", "high"]


def _dimension_statistics(session: Session, snapshot_id: int) -> pd.DataFrame:
    query = select(SnapshotScore.item_id, SnapshotScore.value).where(
        SnapshotScore.snapshot_id == snapshot_id,
        SnapshotScore.kind == "dimension",
        SnapshotScore.value.is_not(None),
    )
    scores = pd.DataFrame(session.execute(query).all(), columns=["dimension_id", "score"])
    grouped = scores.groupby("dimension_id", sort=False)["score"]
    frame = grouped.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).unstack()
    frame.columns = ["low", "q1", "median", "q3", "high"]
    frame.insert(0, "bodies", grouped.size())
    frame = frame[frame["bodies"] >= k_anonymity()].reset_index()
    return frame[STATISTICS_COLUMNS]


def county_overview(actor: Actor, round_id: int) -> pd.DataFrame:
    """Overall maturity per county in the published snapshot: median and quartiles, or withheld."""
    with session_scope() as session:
        _round_in_network(session, actor, round_id)
    snapshot = round_snapshot(round_id)
    rows = []
    if snapshot is not None:
        for county in sorted({i.county for i in snapshot.bodies.values()}):
            values = [snapshot.overall[b] for b, i in snapshot.bodies.items() if i.county == county]
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
    return pd.DataFrame(rows, columns=["county", "bodies", "median", "q1", "q3"])
