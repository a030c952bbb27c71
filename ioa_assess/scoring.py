"""Pure scoring functions: answers -> dimension and overall scores, each with its counts.

An answer is a level 1-5, DONT_KNOW or NOT_RELEVANT. A question without an answer is simply absent
from the mapping. The rules (README, "How scores are computed"):

- From v2 on, "not relevant" counts only on a question whose file allows it; it takes the question
  out of the dimension (out of the mean and out of the count of questions). Anywhere else it counts
  as not answered, so marking questions "not relevant" cannot raise a score.
- "Don't know" is not answered: out of the mean, but the question still counts, so too many of them
  give "not enough answers".
- In a v1 questionnaire the stored 0 is the combined "don't know / not relevant" answer and keeps
  v1's rule (out of the mean, still counted), so stored v1 results never change.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from ioa_assess.questionnaire import Questionnaire

DONT_KNOW = 0  # in a v1 questionnaire: the combined "don't know / not relevant" answer
NOT_RELEVANT = -1  # from v2 on, only where the question allows it
MIN_LEVEL, MAX_LEVEL = 1, 5


def is_level(answer: int | None) -> bool:
    """Whether a stored answer is a maturity level (not "don't know", "not relevant" or nothing)."""
    return answer is not None and MIN_LEVEL <= answer <= MAX_LEVEL


@dataclass(frozen=True)
class Score:
    """A mean of levels and exactly what it was computed from.

    `value` is None when fewer than half of the parts had a scored answer ("not enough answers").
    For a dimension the parts are questions; for the overall score they are dimensions.
    """

    value: float | None
    scored: int
    not_relevant: int
    total: int  # the parts that count: "not relevant" questions (v2 on) are not among them
    dont_know: int = 0
    unanswered: int = 0  # parts with no answer at all

    @property
    def enough(self) -> bool:
        return self.value is not None

    @property
    def answered(self) -> int:
        return self.scored + self.not_relevant + self.dont_know

    @property
    def band(self) -> int | None:
        return level_band(self.value)


def enough_answers(scored: int, total: int) -> bool:
    """At least half of the parts must carry a level for a score to be shown."""
    return total > 0 and scored * 2 >= total


def mean_score(
    levels: Iterable[int], not_relevant: int, total: int, dont_know: int = 0, unanswered: int | None = None
) -> Score:
    values = list(levels)
    for level in values:
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise ValueError(f"level {level} is outside {MIN_LEVEL}-{MAX_LEVEL}")
    value = sum(values) / len(values) if enough_answers(len(values), total) else None
    if unanswered is None:
        unanswered = total - len(values) - not_relevant - dont_know
    return Score(value, len(values), not_relevant, total, dont_know, unanswered)


def dimension_score(
    answers: Mapping[str, int],
    question_ids: Iterable[str],
    may_be_not_relevant: Collection[str] | None = None,
) -> Score:
    """The mean level of a dimension's questions.

    `may_be_not_relevant` is None for a v1 questionnaire (one combined answer, v1's rule), else the
    questions where "not relevant" counts; on the others it counts as "don't know".
    """
    ids = list(question_ids)
    given = {q: answers[q] for q in ids if q in answers}
    for answer in given.values():
        if not (is_level(answer) or answer in (DONT_KNOW, NOT_RELEVANT)):
            raise ValueError(f"answer {answer} is neither a level {MIN_LEVEL}-{MAX_LEVEL} nor a known choice")
    levels = [a for a in given.values() if is_level(a)]
    unanswered = len(ids) - len(given)
    if may_be_not_relevant is None:
        return mean_score(levels, len(given) - len(levels), total=len(ids), unanswered=unanswered)
    not_relevant = sum(1 for q, a in given.items() if a == NOT_RELEVANT and q in may_be_not_relevant)
    dont_know = len(given) - len(levels) - not_relevant
    return mean_score(levels, not_relevant, len(ids) - not_relevant, dont_know, unanswered)


def overall_score(dimension_scores: Mapping[str, Score]) -> Score:
    """Mean of the dimension scores that have enough answers; a count of dimensions used."""
    values = [s.value for s in dimension_scores.values() if s.value is not None]
    total = len(dimension_scores)
    value = sum(values) / len(values) if enough_answers(len(values), total) else None
    return Score(value=value, scored=len(values), not_relevant=0, total=total, unanswered=total - len(values))


@dataclass(frozen=True)
class Result:
    """All scores of one assessment."""

    dimensions: dict[str, Score]
    overall: Score
    answered: int
    total: int

    @property
    def completeness(self) -> float:
        return self.answered / self.total if self.total else 0.0


def score_assessment(questionnaire: Questionnaire, answers: Mapping[str, int]) -> Result:
    allowed = (
        {q.id for q in questionnaire.questions if q.not_relevant}
        if questionnaire.scale.separate_options
        else None
    )
    grouped = questionnaire.ids_by_dimension()
    dimensions = {d: dimension_score(answers, ids, allowed) for d, ids in grouped.items()}
    known = {q for ids in grouped.values() for q in ids}
    answered = sum(1 for q in answers if q in known)
    return Result(
        dimensions=dimensions,
        overall=overall_score(dimensions),
        answered=answered,
        total=len(known),
    )


def to_find_out(questionnaire: Questionnaire, answers: Mapping[str, int]) -> list[str]:
    """The questions answered "don't know" (v2 on), in questionnaire order: things to find out.
    A "not relevant" where the question does not allow it is one too."""
    if not questionnaire.scale.separate_options:
        return []
    return [
        q.id
        for q in questionnaire.questions
        if q.id in answers
        and (answers[q.id] == DONT_KNOW or (answers[q.id] == NOT_RELEVANT and not q.not_relevant))
    ]


def level_band(value: float | None) -> int | None:
    """The level a score rounds to (half up): 2.5 is level 3."""
    if value is None:
        return None
    return max(MIN_LEVEL, min(MAX_LEVEL, math.floor(value + 0.5)))


def next_level(value: float | None) -> int | None:
    """The whole level above where a score stands (2.0 and 2.6 both aim at 3); None at the top."""
    if value is None:
        return MIN_LEVEL
    target = math.floor(value) + 1
    return target if target <= MAX_LEVEL else None


def progress_by_dimension(
    questionnaire: Questionnaire, answers: Mapping[str, int]
) -> dict[str, tuple[int, int]]:
    """dimension id -> (answered, total); "not relevant" counts as answered."""
    return {
        d: (sum(1 for q in ids if q in answers), len(ids))
        for d, ids in questionnaire.ids_by_dimension().items()
    }
