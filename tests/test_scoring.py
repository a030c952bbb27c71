"""Scoring: dimension and overall means, their counts, the half-answered rule, bands and next levels."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ioa_assess.questionnaire import Questionnaire, load_questionnaire
from ioa_assess.scoring import (
    DONT_KNOW,
    Score,
    dimension_score,
    level_band,
    next_level,
    overall_score,
    progress_by_dimension,
    score_assessment,
)

NR = DONT_KNOW  # the v1 combined "don't know / not relevant" answer


# --- helpers ---------------------------------------------------------------------------


def ids(n: int) -> list[str]:
    return [f"q-{i:02d}" for i in range(n)]


def answers_for(levels: list[int]) -> dict[str, int]:
    """Answers to the first len(levels) questions of ids(...), in order."""
    return dict(zip(ids(len(levels)), levels, strict=True))


def dim(value: float | None) -> Score:
    """A dimension score with only the value mattering to the overall score."""
    return Score(value=value, scored=1 if value is not None else 0, not_relevant=0, total=2)


def dims(*values: float | None) -> dict[str, Score]:
    return {f"d{i}": dim(v) for i, v in enumerate(values)}


@pytest.fixture(scope="module")
def questionnaire() -> Questionnaire:
    return load_questionnaire("ioa-v1")


# --- dimension scores ------------------------------------------------------------------


def test_dimension_score_is_the_mean_of_answered_levels() -> None:
    score = dimension_score(answers_for([2, 4, 3]), ids(3))
    assert score.value == pytest.approx(3.0)
    assert (score.scored, score.not_relevant, score.total) == (3, 0, 3)


def test_not_relevant_drops_out_of_the_mean() -> None:
    score = dimension_score(answers_for([2, 5, NR]), ids(4))
    assert score.value == pytest.approx(3.5)
    assert (score.scored, score.not_relevant, score.total) == (2, 1, 4)
    assert (score.answered, score.unanswered) == (3, 1)


def test_fewer_than_half_scored_is_not_enough() -> None:
    score = dimension_score(answers_for([4, NR, NR]), ids(5))
    assert score.value is None
    assert not score.enough
    assert score.band is None
    assert (score.scored, score.not_relevant, score.total) == (1, 2, 5)


def test_not_relevant_answers_do_not_make_enough() -> None:
    score = dimension_score(answers_for([3, NR, NR, NR]), ids(4))
    assert score.value is None
    assert score.answered == 4


def test_exactly_half_scored_gives_a_number() -> None:
    score = dimension_score(answers_for([2, 3]), ids(4))
    assert score.value == pytest.approx(2.5)
    assert score.enough
    assert score.band == 3


def test_answers_to_other_questions_are_ignored() -> None:
    answers = {**answers_for([4, 4]), "other-01": 1}
    score = dimension_score(answers, ids(2))
    assert score.value == pytest.approx(4.0)
    assert score.total == 2


def test_no_questions_means_no_score() -> None:
    assert dimension_score({}, []).value is None


@pytest.mark.parametrize("bad", [6, -2])
def test_invalid_level_is_rejected(bad: int) -> None:
    with pytest.raises(ValueError, match=str(bad)):
        dimension_score(answers_for([3, bad]), ids(2))


# --- overall score ---------------------------------------------------------------------


def test_overall_is_the_mean_of_dimensions_with_values() -> None:
    score = overall_score(dims(2.0, 4.0, None))
    assert score.value == pytest.approx(3.0)
    assert (score.scored, score.total) == (2, 3)


def test_overall_with_exactly_half_of_dimensions() -> None:
    assert overall_score(dims(2.0, 3.0, None, None)).value == pytest.approx(2.5)


def test_overall_with_fewer_than_half_of_dimensions_is_none() -> None:
    score = overall_score(dims(5.0, None, None))
    assert score.value is None
    assert (score.scored, score.total) == (1, 3)


def test_overall_of_nothing_is_none() -> None:
    assert overall_score({}).value is None


# --- bands and next levels -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "band"),
    [(2.5, 3), (2.49, 2), (1.0, 1), (4.5, 5), (5.0, 5), (0.2, 1), (7.0, 5), (None, None)],
)
def test_level_band_rounds_half_up_and_is_clamped(value: float | None, band: int | None) -> None:
    assert level_band(value) == band


@pytest.mark.parametrize(
    ("value", "target"),
    [(2.0, 3), (2.6, 3), (1.0, 2), (4.99, 5), (5.0, None), (None, 1)],
)
def test_next_level(value: float | None, target: int | None) -> None:
    assert next_level(value) == target


# --- whole assessments on the real questionnaire ------------------------------------------


def test_score_assessment_all_threes(questionnaire: Questionnaire) -> None:
    result = score_assessment(questionnaire, {q.id: 3 for q in questionnaire.questions})
    assert set(result.dimensions) == {d.id for d in questionnaire.dimensions}
    assert all(s.value == pytest.approx(3.0) for s in result.dimensions.values())
    assert result.overall.value == pytest.approx(3.0)
    assert (result.overall.scored, result.overall.total) == (8, 8)
    assert (result.answered, result.total, result.completeness) == (40, 40, 1.0)


def test_score_assessment_partial(questionnaire: Questionnaire) -> None:
    first, second, *_ = questionnaire.dimensions
    answers = {q.id: 2 for q in questionnaire.questions_in(first.id)}
    answers |= {q.id: 4 for q in questionnaire.questions_in(second.id)}
    answers["zzz-99"] = 5  # not in the questionnaire: neither scored nor counted
    result = score_assessment(questionnaire, answers)
    assert result.dimensions[first.id].value == pytest.approx(2.0)
    assert result.dimensions[second.id].value == pytest.approx(4.0)
    assert result.overall.value is None  # 2 of 8 dimensions
    assert result.overall.scored == 2
    assert result.answered == 10
    assert result.completeness == pytest.approx(10 / 40)


def test_score_assessment_with_half_the_dimensions(questionnaire: Questionnaire) -> None:
    levels = [1, 2, 4, 5]
    answers = {
        q.id: level
        for d, level in zip(questionnaire.dimensions[:4], levels, strict=True)
        for q in questionnaire.questions_in(d.id)
    }
    result = score_assessment(questionnaire, answers)
    assert result.overall.value == pytest.approx(3.0)
    assert result.completeness == pytest.approx(0.5)


def test_score_assessment_rejects_invalid_levels(questionnaire: Questionnaire) -> None:
    with pytest.raises(ValueError):
        score_assessment(questionnaire, {questionnaire.questions[0].id: 6})


def test_progress_counts_not_relevant_as_answered(questionnaire: Questionnaire) -> None:
    first = questionnaire.dimensions[0]
    q1, q2, *_ = questionnaire.questions_in(first.id)
    progress = progress_by_dimension(questionnaire, {q1.id: NR, q2.id: 3})
    assert progress[first.id] == (2, 5)
    assert all(progress[d.id] == (0, 5) for d in questionnaire.dimensions[1:])


# --- properties ------------------------------------------------------------------------

answer_lists = st.lists(st.sampled_from([NR, 1, 2, 3, 4, 5]), max_size=12)


@given(answer_lists, st.integers(min_value=0, max_value=6))
def test_dimension_score_properties(levels: list[int], unanswered: int) -> None:
    total = len(levels) + unanswered
    score = dimension_score(answers_for(levels), ids(total))
    scored = [level for level in levels if level != NR]
    assert (score.scored, score.not_relevant, score.total) == (len(scored), len(levels) - len(scored), total)
    if total > 0 and 2 * len(scored) >= total:
        assert score.value == pytest.approx(statistics.fmean(scored))
        assert 1 <= score.value <= 5
        assert min(scored) <= score.value <= max(scored)
    else:
        assert score.value is None


optional_values = st.one_of(st.none(), st.floats(min_value=1, max_value=5))


@given(st.lists(optional_values, max_size=10))
def test_overall_score_properties(values: list[float | None]) -> None:
    score = overall_score(dims(*values))
    present = [v for v in values if v is not None]
    assert (score.scored, score.total) == (len(present), len(values))
    if values and 2 * len(present) >= len(values):
        assert score.value == pytest.approx(statistics.fmean(present))
        assert 1 <= score.value <= 5
    else:
        assert score.value is None


@given(st.floats(min_value=-10, max_value=10))
def test_level_band_is_a_level_near_the_value(value: float) -> None:
    band = level_band(value)
    assert band in (1, 2, 3, 4, 5)
    if 1 <= value <= 5:
        assert abs(band - value) <= 0.5


@given(st.floats(min_value=1, max_value=5))
def test_next_level_is_the_whole_level_above(value: float) -> None:
    target = next_level(value)
    if value >= 5:
        assert target is None
    else:
        assert target is not None
        assert value < target <= value + 1


@given(st.data())
def test_score_assessment_properties(data: st.DataObject) -> None:
    questionnaire = load_questionnaire("ioa-v1")
    question_ids = [q.id for q in questionnaire.questions]
    answered = data.draw(st.lists(st.sampled_from(question_ids), unique=True))
    answers = {q: data.draw(st.sampled_from([NR, 1, 2, 3, 4, 5])) for q in answered}
    result = score_assessment(questionnaire, answers)
    assert result.completeness == pytest.approx(len(answers) / 40)
    assert 0 <= result.completeness <= 1
    for score in [*result.dimensions.values(), result.overall]:
        assert score.value is None or 1 <= score.value <= 5
    progress = progress_by_dimension(questionnaire, answers)
    assert sum(done for done, _ in progress.values()) == len(answers)
