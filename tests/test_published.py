"""Anonymity over time: what anyone outside a body sees changes only when at least k more bodies
have submitted, so no difference of two displayed numbers singles one body out (issue: a new
minimum equal to the new body's score, 2 x new median - old median, one new heatmap row, a share
at level 1-2 that moved with the new body's answer)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from sqlalchemy import select

from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services import agenda, dashboard
from ioa_assess.services.actor import SYSTEM, Actor
from ioa_assess.services.agreement import agree
from ioa_assess.services.assessments import open_assessment, reopen_assessment, save_answer, submit_assessment
from ioa_assess.services.cohort import cohort_table, completion, county_overview, dimension_statistics
from ioa_assess.services.network_admin import close_round
from ioa_assess.services.open_data import open_data
from ioa_assess.services.regional import regional_view
from ioa_assess.services.results import history, standing
from ioa_assess.services.start import regional_start
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AssessmentScore, PublishedSnapshot, User
from tests.factories import MUNICIPALITIES_ROGALAND, T0, make_cohort

K = 3
QUESTIONS = [q.id for q in load_questionnaire().questions]


@pytest.fixture
def k3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", str(K))


def body_actor(body_id: int, role: str = "participant") -> Actor:
    """An account answering for the body (made directly: hashing a password adds nothing here)."""
    with session_scope(write=True) as session:
        user = User(email=f"{role}-{body_id}@test.no", role=role, body_id=body_id, created_at=T0)
        session.add(user)
        session.flush()
        return Actor(role=role, label=user.email, user_id=user.id, body_id=body_id)


def submit(body_id: int, levels: list[int]) -> int:
    """Answer through the services (level i for question i, cycling) and submit; the assessment id."""
    actor = body_actor(body_id)
    state = open_assessment(actor)
    for index, question_id in enumerate(QUESTIONS):
        save_answer(actor, state.id, question_id, level=levels[index % len(levels)])
    submit_assessment(actor, state.id)
    return state.id


def regional_actor(network_id: int) -> Actor:
    return Actor(role="regional_leader", label="region", network_id=network_id)


def seen_by_others(viewer: int, round_id: int, network_id: int) -> dict[str, object]:
    """Every statistic a participant, a facilitator and a regional leader see of the round."""
    mine = standing(_actors[viewer], "network")
    table = cohort_table(SYSTEM, round_id)
    region = regional_view(regional_actor(network_id))
    return {
        "peer range": mine.overall_peers,
        "peer groups": mine.groups,
        "peer dimensions": [d.peers for d in mine.dimensions],
        "peer question medians": mine.peer_medians_by_question,
        "history": [(p.peer_overall, p.peer_dimensions) for p in history(_actors[viewer])],
        "heatmap rows": sorted((r.code, r.overall, tuple(sorted(r.dimensions.items()))) for r in table.rows),
        "heatmap counts": (table.submitted, table.hidden, table.too_few),
        "by county": dashboard.group_comparison(SYSTEM, round_id, "county").to_dict("records"),
        "by kind": dashboard.group_comparison(SYSTEM, round_id, "kind").to_dict("records"),
        "county overview": county_overview(SYSTEM, round_id).to_dict("records"),
        "dimension statistics": dimension_statistics(SYSTEM, round_id).to_dict("records"),
        "question spreads": agenda.question_spreads(SYSTEM, round_id).to_dict("records"),
        "regional dimension medians": region.dimension_medians.to_dict("records"),
        "regional share at level 1-2": region.shared_gaps.to_dict("records"),
        "regional trend": region.trend.to_dict("records"),
        "regional participation": region.participation.to_dict("records"),
        "open data": open_data(regional_actor(network_id), round_id).aggregates,
        "regional start page": regional_start(regional_actor(network_id)),
    }


_actors: dict[int, Actor] = {}


@pytest.fixture
def network(any_db: str, k3: None):  # type: ignore[no-untyped-def]
    """Ten Rogaland municipalities; the viewer (Gjesdal) and 2k - 1 others have submitted, so two
    snapshots of k bodies each have been published."""
    _actors.clear()
    cohort = make_cohort(MUNICIPALITIES_ROGALAND[:10])
    viewer, *others = cohort.body_ids
    _actors[viewer] = body_actor(viewer, "leader")
    submit(viewer, [3])
    for body_id, levels in zip(others[: 2 * K - 1], ([2, 3], [3, 4], [4], [2], [5, 4]), strict=True):
        submit(body_id, levels)
    return cohort, viewer, others[2 * K - 1 :]


def test_one_more_submission_changes_nothing_anyone_else_sees(network) -> None:  # type: ignore[no-untyped-def]
    cohort, viewer, waiting = network
    before = seen_by_others(viewer, cohort.round_id, cohort.network_id)
    assert before["peer range"] is not None and len(before["heatmap rows"]) == 2 * K
    # The new body is the lowest everywhere: on the old code its score became the new minimum.
    newcomer = waiting[0]
    submit(newcomer, [1])
    after = seen_by_others(viewer, cohort.round_id, cohort.network_id)
    for what in before:
        assert after[what] == before[what], what
    # The facilitator's completion list is operational and names it; its own results are its own.
    status = {r.body_id: r.status for r in completion(SYSTEM, cohort.round_id)}
    assert status[newcomer] == "submitted"
    own = standing(body_actor(newcomer, "leader"), "network")
    assert own.result.overall.value == 1.0 and own.status == "submitted"


def test_after_k_more_submissions_the_statistics_move_by_k_bodies_at_once(network) -> None:  # type: ignore[no-untyped-def]
    cohort, viewer, waiting = network
    before = seen_by_others(viewer, cohort.round_id, cohort.network_id)
    for body_id in waiting[: K - 1]:
        submit(body_id, [1])
        assert seen_by_others(viewer, cohort.round_id, cohort.network_id) == before
    submit(waiting[K - 1], [1])
    after = seen_by_others(viewer, cohort.round_id, cohort.network_id)
    assert after["peer range"].n == before["peer range"].n + K  # type: ignore[union-attr]
    assert after["peer range"].low == 1.0 and before["peer range"].low > 1.0  # type: ignore[union-attr]
    new_rows = set(after["heatmap rows"]) - set(before["heatmap rows"])  # type: ignore[arg-type]
    assert len(after["heatmap rows"]) == 3 * K and len(new_rows) >= K  # type: ignore[arg-type]
    assert after["regional dimension medians"] != before["regional dimension medians"]
    counts = [r["bodies"] for r in after["regional dimension medians"]]  # type: ignore[union-attr]
    assert counts == [3 * K] * len(counts)


def test_no_difference_of_two_snapshots_isolates_a_body(network) -> None:  # type: ignore[no-untyped-def]
    """Whatever is submitted, two consecutive published states differ by at least k bodies."""
    cohort, _viewer, waiting = network
    sizes = [len(cohort_table(SYSTEM, cohort.round_id).rows)]
    for body_id in waiting:
        submit(body_id, [1, 5])
        shown = len(cohort_table(SYSTEM, cohort.round_id).rows)
        if shown != sizes[-1]:
            sizes.append(shown)
    assert all(later - earlier >= K for earlier, later in itertools.pairwise(sizes))
    with session_scope() as session:
        published = session.scalars(
            select(PublishedSnapshot.bodies).order_by(PublishedSnapshot.sequence)
        ).all()
    assert all(later - earlier >= K for earlier, later in itertools.pairwise(published))


def test_a_reopened_and_changed_assessment_changes_nothing_until_the_next_snapshot(network) -> None:  # type: ignore[no-untyped-def]
    cohort, viewer, _waiting = network
    before = seen_by_others(viewer, cohort.round_id, cohort.network_id)
    facilitator = Actor(role="facilitator", label="f", network_id=cohort.network_id)
    reopened = cohort.body_ids[1]
    with session_scope() as session:
        from ioa_assess.storage.models import Assessment

        assessment_id = session.scalar(select(Assessment.id).where(Assessment.body_id == reopened))
    reopen_assessment(facilitator, assessment_id, "wrong answers")
    actor = body_actor(reopened, "agency_lead")
    for question_id in QUESTIONS:
        save_answer(actor, assessment_id, question_id, level=5)
        # A second voice in the body: the lead agrees the body's answers before submitting again.
        agree(actor, assessment_id, question_id, 5, "Rettet etter gjennomgangen.")
    submit_assessment(actor, assessment_id)
    assert standing(actor, "network").result.overall.value == 5.0  # its own scores, at once
    assert seen_by_others(viewer, cohort.round_id, cohort.network_id) == before


def test_closing_the_round_adds_no_fewer_than_k_bodies(network) -> None:  # type: ignore[no-untyped-def]
    cohort, viewer, waiting = network
    submit(waiting[0], [1])
    before = seen_by_others(viewer, cohort.round_id, cohort.network_id)
    close_round(SYSTEM, cohort.round_id)
    assert seen_by_others(viewer, cohort.round_id, cohort.network_id) == before
    with session_scope() as session:
        assert session.scalar(select(PublishedSnapshot.final).order_by(PublishedSnapshot.sequence.desc()))


def test_scores_are_stored_at_submit_and_follow_a_reopening(network) -> None:  # type: ignore[no-untyped-def]
    _cohort, viewer, _ = network
    with session_scope() as session:
        from ioa_assess.storage.models import Assessment

        assessment_id = session.scalar(select(Assessment.id).where(Assessment.body_id == viewer))
        stored = {
            (s.kind, s.item_id): s.value
            for s in session.scalars(
                select(AssessmentScore).where(AssessmentScore.assessment_id == assessment_id)
            )
        }
    assert stored[("overall", "")] == 3.0
    assert {stored[("dimension", d.id)] for d in load_questionnaire().dimensions} == {3.0}
    assert all(stored[("question", q)] == 3.0 for q in QUESTIONS)
    assert pd.Series(list(stored.values())).notna().all()
