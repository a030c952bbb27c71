"""Pure scoring functions: answers -> dimension and overall scores, each with its counts.

An answer is a level 1-5, or NOT_RELEVANT ("don't know / not relevant"), which drops out of the
score. A question without an answer is simply absent from the mapping.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ioa_assess.questionnaire import Questionnaire

NOT_RELEVANT = 0
MIN_LEVEL, MAX_LEVEL = 1, 5


@dataclass(frozen=True)
class Score:
    """A mean of levels and exactly what it was computed from.

    `value` is None when fewer than half of the parts had a scored answer ("not enough answers").
    For a dimension the parts are questions; for the overall score they are dimensions.
    """

    value: float | None
    scored: int
    not_relevant: int
    total: int

    @property
    def enough(self) -> bool:
        return self.value is not None

    @property
    def answered(self) -> int:
        return self.scored + self.not_relevant

    @property
    def unanswered(self) -> int:
        return self.total - self.answered

    @property
    def band(self) -> int | None:
        return level_band(self.value)


def enough_answers(scored: int, total: int) -> bool:
    """At least half of the parts must carry a level for a score to be shown."""
    return total > 0 and scored * 2 >= total


def mean_score(levels: Iterable[int], not_relevant: int, total: int) -> Score:
    values = list(levels)
    for level in values:
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            raise ValueError(f"level {level} is outside {MIN_LEVEL}-{MAX_LEVEL}")
    value = sum(values) / len(values) if enough_answers(len(values), total) else None
    return Score(value=value, scored=len(values), not_relevant=not_relevant, total=total)


def dimension_score(answers: Mapping[str, int], question_ids: Iterable[str]) -> Score:
    ids = list(question_ids)
    given = [answers[q] for q in ids if q in answers]
    levels = [a for a in given if a != NOT_RELEVANT]
    return mean_score(levels, not_relevant=len(given) - len(levels), total=len(ids))


def overall_score(dimension_scores: Mapping[str, Score]) -> Score:
    """Mean of the dimension scores that have enough answers; a count of dimensions used."""
    values = [s.value for s in dimension_scores.values() if s.value is not None]
    total = len(dimension_scores)
    value = sum(values) / len(values) if enough_answers(len(values), total) else None
    return Score(value=value, scored=len(values), not_relevant=0, total=total)


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


_QUESTIONS_BY_DIMENSION: dict[tuple[str, int], dict[str, list[str]]] = {}


def questions_by_dimension(questionnaire: Questionnaire) -> dict[str, list[str]]:
    """dimension id -> its question ids, in order; built once per questionnaire version."""
    key = (questionnaire.id, questionnaire.version)
    grouped = _QUESTIONS_BY_DIMENSION.get(key)
    if grouped is None:
        grouped = {d.id: [] for d in questionnaire.dimensions}
        for question in questionnaire.questions:
            grouped[question.dimension].append(question.id)
        _QUESTIONS_BY_DIMENSION[key] = grouped
    return grouped


def score_assessment(questionnaire: Questionnaire, answers: Mapping[str, int]) -> Result:
    grouped = questions_by_dimension(questionnaire)
    dimensions = {d: dimension_score(answers, ids) for d, ids in grouped.items()}
    known = {q for ids in grouped.values() for q in ids}
    answered = sum(1 for q in answers if q in known)
    return Result(
        dimensions=dimensions,
        overall=overall_score(dimensions),
        answered=answered,
        total=len(known),
    )


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
        for d, ids in questions_by_dimension(questionnaire).items()
    }
