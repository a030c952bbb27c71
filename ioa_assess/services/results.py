"""Where a body stands: its scores, its peers' spread under the k rule, targets and change."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioa_assess.comparability import Comparability, DimensionComparability, comparability
from ioa_assess.evidence import (
    NO_EVIDENCE,
    Disagreement,
    Evidence,
    EvidenceShare,
    evidence_share,
    most_disagreed,
)
from ioa_assess.i18n import N_
from ioa_assess.peers import TOO_FEW, Spread, spread, withheld_groups
from ioa_assess.questionnaire import Questionnaire, load_questionnaire
from ioa_assess.scoring import Result, score_assessment, to_find_out
from ioa_assess.services.actor import Actor, InvalidInput, NotFound, PermissionDenied, is_id, now
from ioa_assess.services.assessments import still_answering
from ioa_assess.services.body_answers import BodyAnswers, body_answers
from ioa_assess.services.memo import cached
from ioa_assess.services.published import Snapshot, round_snapshot
from ioa_assess.services.scores import BodyInfo, body_info
from ioa_assess.services.stored_scores import assessment_levels, stored_result
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import Assessment, Round, Target

PEER_GROUPS: dict[str, str] = {
    "network": N_("The whole network"),
    "county": N_("Same county"),
    "kind": N_("Same kind of body"),
    "county_kind": N_("Same county and kind"),
    "size": N_("Municipalities of similar size"),
}


@dataclass(frozen=True)
class PeerGroup:
    key: str
    size: int
    withheld: str | None  # None, "too_few" or "differencing"


@dataclass(frozen=True)
class DimensionStanding:
    dimension_id: str
    own: float | None
    scored: int
    not_relevant: int
    total: int
    peers: Spread | None
    target: float | None
    previous: float | None
    # How far `previous` can be compared: None without a previous round; marked when not `fully`.
    previous_comparability: DimensionComparability | None = None
    dont_know: int = 0
    evidence: EvidenceShare = NO_EVIDENCE  # of the dimension's scored agreed answers


@dataclass(frozen=True)
class Standing:
    body_id: int
    body_name: str
    round_id: int
    round_name: str
    status: str
    body_kind: str
    questionnaire_version: str
    result: Result
    levels: dict[str, int]
    comments: dict[str, str]
    group: PeerGroup
    groups: list[PeerGroup]
    dimensions: list[DimensionStanding]
    overall_peers: Spread | None
    previous_round_name: str | None
    previous_overall: float | None
    peer_medians_by_question: dict[str, float] = field(default_factory=dict)
    previous_comparability: Comparability | None = None  # the overall score against the previous round
    to_find_out: list[str] = field(default_factory=list)  # questions answered "don't know"
    # Questions whose level is the median of the body's people until the agency lead agrees one
    # (a draft only); they count in the draft's scores.
    provisional: frozenset[str] = frozenset()
    evidence: dict[str, Evidence] = field(default_factory=dict)  # per agreed answer with a level
    evidence_share: EvidenceShare = NO_EVIDENCE  # of the scored agreed answers
    # Where the body's people were furthest apart (questions two or more of them gave a level to).
    disagreements: list[Disagreement] = field(default_factory=list)
    # A participant still answering does not see where colleagues disagree (no anchoring).
    disagreements_held_back: bool = False


def _check_reader(actor: Actor, body_id: int) -> None:
    if not (actor.belongs_to_body(body_id) or actor.is_admin):
        raise PermissionDenied("You can only see your own organisation's results.")


def group_members(me: BodyInfo, others: list[BodyInfo]) -> dict[str, set[int]]:
    """Each peer group the body can choose, as the ids of the other bodies in it."""
    groups = {
        "network": {o.id for o in others},
        "county": {o.id for o in others if o.county_number == me.county_number},
        "kind": {o.id for o in others if o.kind == me.kind},
        "county_kind": {o.id for o in others if o.county_number == me.county_number and o.kind == me.kind},
    }
    if me.size_band is not None:
        groups["size"] = {o.id for o in others if o.size_band == me.size_band and o.kind == me.kind}
    return groups


def _assessments_query(actor: Actor, body_id: int):  # type: ignore[no-untyped-def]
    query = (
        select(Assessment).join(Round, Round.id == Assessment.round_id).where(Assessment.body_id == body_id)
    )
    if actor.round_id is not None:  # a code shows only the round it was issued for
        query = query.where(Assessment.round_id == actor.round_id)
    return query.order_by(Round.opens_on.desc())


def body_rounds(actor: Actor) -> list[tuple[int, str]]:
    """(round id, name) of the rounds the actor's body has an assessment in, newest first."""
    if actor.body_id is None:
        return []
    _check_reader(actor, actor.body_id)
    with session_scope() as session:
        query = _assessments_query(actor, actor.body_id).with_only_columns(Round.id, Round.name)
        return [(round_id, name) for round_id, name in session.execute(query)]


def standing(
    actor: Actor, group_key: str = "network", body_id: int | None = None, round_id: int | None = None
) -> Standing:
    """The body's scores in a round (its latest by default) against the chosen peer group.

    The body's own scores are its stored ones (or, for a draft, computed from its agreed answers
    and, where none is agreed yet, its people's median); the peers' come from the round's published
    snapshot (see ioa_assess/peers.py).
    """
    body_id = body_id if body_id is not None else actor.body_id
    if body_id is None:
        raise PermissionDenied("Your account does not belong to an organisation.")
    _check_reader(actor, body_id)
    if group_key not in PEER_GROUPS:
        raise InvalidInput("Unknown peer group.")
    if not is_id(body_id) or (round_id is not None and not is_id(round_id)):
        raise NotFound("Your organisation has not started an assessment yet.")
    with session_scope() as session:
        query = _assessments_query(actor, body_id)
        if round_id is not None:
            query = query.where(Assessment.round_id == round_id)
        assessment = session.scalars(query).first()
        if assessment is None:
            raise NotFound("Your organisation has not started an assessment yet.")
        rnd = session.get(Round, assessment.round_id)
        assert rnd is not None
        questionnaire = load_questionnaire(rnd.questionnaire_version)
        answers = body_answers(session, assessment.id, draft=assessment.status == "draft")
        held_back = still_answering(session, actor, assessment)
        own_levels = answers.levels
        result = _own_result(session, assessment, questionnaire, own_levels)
        me = body_info(session, [body_id])[body_id]
        previous_round, previous = _previous_result(session, body_id, rnd)
        compared = (
            comparability(previous_round.questionnaire_version, rnd.questionnaire_version)
            if previous_round is not None
            else None
        )
        targets = {
            t.dimension_id: t.level for t in session.scalars(select(Target).where(Target.body_id == body_id))
        }
    snapshot = round_snapshot(rnd.id)
    peers = _peer_view(snapshot, me, group_key, [d.id for d in questionnaire.dimensions])
    dimensions = [
        DimensionStanding(
            dimension_id=d.id,
            own=result.dimensions[d.id].value,
            scored=result.dimensions[d.id].scored,
            not_relevant=result.dimensions[d.id].not_relevant,
            total=result.dimensions[d.id].total,
            peers=peers.dimensions.get(d.id),
            target=targets.get(d.id),
            previous=_previous_value(previous, d.id),
            previous_comparability=compared.dimensions[d.id] if compared else None,
            dont_know=result.dimensions[d.id].dont_know,
            evidence=_evidence_share(answers, [q.id for q in questionnaire.questions_in(d.id)]),
        )
        for d in questionnaire.dimensions
    ]
    disagreements = most_disagreed(answers.given, [q.id for q in questionnaire.questions])
    return Standing(
        body_id=body_id,
        body_name=me.name,
        body_kind=me.kind,
        round_id=rnd.id,
        round_name=rnd.name,
        status=assessment.status,
        questionnaire_version=rnd.questionnaire_version,
        result=result,
        levels=own_levels,
        comments=answers.comments,
        group=peers.chosen,
        groups=peers.options,
        dimensions=dimensions,
        overall_peers=peers.overall,
        previous_round_name=previous_round.name if previous_round else None,
        previous_overall=previous.overall.value if previous else None,
        peer_medians_by_question=peers.question_medians,
        previous_comparability=compared,
        to_find_out=to_find_out(questionnaire, own_levels),
        provisional=answers.provisional,
        evidence=answers.evidence,
        evidence_share=_evidence_share(answers, [q.id for q in questionnaire.questions]),
        disagreements=[] if held_back else disagreements,
        disagreements_held_back=held_back and bool(disagreements),
    )


def _evidence_share(answers: BodyAnswers, question_ids: list[str]) -> EvidenceShare:
    return evidence_share(
        (answers.levels.get(q), answers.evidence[q].kind)
        for q in question_ids
        if q in answers.evidence and q not in answers.provisional
    )


def _previous_value(previous: Result | None, dimension_id: str) -> float | None:
    score = previous.dimensions.get(dimension_id) if previous else None
    return score.value if score else None


@dataclass(frozen=True)
class PeerView:
    """What a body sees of its peers in one published snapshot."""

    options: list[PeerGroup]
    chosen: PeerGroup
    overall: Spread | None
    dimensions: dict[str, Spread | None]
    question_medians: dict[str, float]


def _peer_view(snapshot: Snapshot | None, me: BodyInfo, group_key: str, dimension_ids: list[str]) -> PeerView:
    if snapshot is None:  # fewer than k bodies have submitted: nothing is published yet
        groups = group_members(me, [])
        options = [PeerGroup(k, 0, TOO_FEW) for k in groups]
        chosen = next((g for g in options if g.key == group_key), options[0])
        return PeerView(options, chosen, None, dict.fromkeys(dimension_ids), {})
    key = ("peer-view", snapshot.id, me.id, me.county_number, me.kind, me.size_band, group_key)
    return cached(key, lambda: _compute_peer_view(snapshot, me, group_key, dimension_ids))


def _compute_peer_view(
    snapshot: Snapshot, me: BodyInfo, group_key: str, dimension_ids: list[str]
) -> PeerView:
    others = [info for body_id, info in snapshot.bodies.items() if body_id != me.id]
    groups = group_members(me, others)
    withheld = withheld_groups(groups)
    options = [PeerGroup(k, len(v), withheld.get(k)) for k, v in groups.items()]
    chosen = next((g for g in options if g.key == group_key), options[0])
    members = groups[chosen.key] if chosen.withheld is None else set()
    dimensions = {
        d: spread([v for b in members if (v := snapshot.dimensions[b].get(d)) is not None])
        for d in dimension_ids
    }
    overall = spread([v for b in members if (v := snapshot.overall[b]) is not None])
    per_question: dict[str, list[float]] = defaultdict(list)
    for body_id in members:
        for question_id, level in snapshot.levels[body_id].items():
            per_question[question_id].append(level)
    medians = {q: s.median for q, values in per_question.items() if (s := spread(values)) is not None}
    return PeerView(options, chosen, overall, dimensions, medians)


def _own_result(
    session: Session,
    assessment: Assessment,
    questionnaire: Questionnaire,
    levels: dict[str, int] | None = None,
) -> Result:
    """A submitted assessment's stored scores; a draft's (or one without stored scores) computed."""
    if assessment.status == "submitted":
        stored = stored_result(session, assessment.id, questionnaire)
        if stored is not None:
            return stored
    if levels is None:
        levels = assessment_levels(session, [assessment.id]).get(assessment.id, {})
    return score_assessment(questionnaire, levels)


def _previous_result(session: Session, body_id: int, rnd: Round) -> tuple[Round | None, Result | None]:
    query = (
        select(Round, Assessment)
        .join(Assessment, Assessment.round_id == Round.id)
        .where(
            Assessment.body_id == body_id,
            Assessment.status == "submitted",
            Round.network_id == rnd.network_id,
            Round.opens_on < rnd.opens_on,
        )
        .order_by(Round.opens_on.desc())
    )
    found = session.execute(query).first()
    if found is None:
        return None, None
    previous, assessment = found
    return previous, _own_result(session, assessment, load_questionnaire(previous.questionnaire_version))


def set_target(actor: Actor, dimension_id: str, level: float | None) -> None:
    """Store (or with None, remove) the body's target level for one dimension."""
    if not actor.answers_for_body or actor.body_id is None:
        raise PermissionDenied("Only people answering for the organisation can set its targets.")
    if level is not None and not 1 <= level <= 5:
        raise InvalidInput("A target is a level from 1 to 5.")
    from ioa_assess.questionnaire import usable_versions

    if dimension_id not in {d.id for v in usable_versions() for d in load_questionnaire(v).dimensions}:
        raise InvalidInput("Unknown dimension.")
    with session_scope(write=True) as session:
        target = session.scalar(
            select(Target).where(Target.body_id == actor.body_id, Target.dimension_id == dimension_id)
        )
        if level is None:
            if target is not None:
                session.delete(target)
            return
        if target is None:
            target = Target(body_id=actor.body_id, dimension_id=dimension_id, level=level, updated_at=now())
            session.add(target)
        target.level = level
        target.updated_at = now()


@dataclass(frozen=True)
class RoundPoint:
    round_id: int
    round_name: str
    opens_on: object
    own: Result
    questionnaire_version: str
    peer_overall: Spread | None
    peer_dimensions: dict[str, Spread | None]


def history(actor: Actor, body_id: int | None = None) -> list[RoundPoint]:
    """The body's submitted rounds, oldest first, each with the network's published spread."""
    body_id = body_id if body_id is not None else actor.body_id
    if body_id is None:
        raise PermissionDenied("Your account does not belong to an organisation.")
    _check_reader(actor, body_id)
    if not is_id(body_id):
        return []
    with session_scope() as session:
        query = (
            select(Round, Assessment)
            .join(Assessment, Assessment.round_id == Round.id)
            .where(Assessment.body_id == body_id, Assessment.status == "submitted")
            .order_by(Round.opens_on)
        )
        own = [
            (rnd, _own_result(session, assessment, load_questionnaire(rnd.questionnaire_version)))
            for rnd, assessment in session.execute(query)
        ]
        me = body_info(session, [body_id])[body_id]
    points = []
    for rnd, result in own:
        peers = _peer_view(round_snapshot(rnd.id), me, "network", list(result.dimensions))
        points.append(
            RoundPoint(
                round_id=rnd.id,
                round_name=rnd.name,
                opens_on=rnd.opens_on,
                own=result,
                questionnaire_version=rnd.questionnaire_version,
                peer_overall=peers.overall,
                peer_dimensions=peers.dimensions,
            )
        )
    return points
