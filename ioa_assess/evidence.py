"""How much of a body's score rests on answers someone can check, and where its people disagreed.

Evidence is "self" (self-declared), "documented" (with a document name or a link) or "verified" (by
whom). Only agreed answers with a level 1-5 count: they are the answers the score is made of and
the body stands behind; a provisional median has no evidence of its own yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ioa_assess.disagreement import views
from ioa_assess.i18n import N_
from ioa_assess.scoring import is_level

BACKED = frozenset({"documented", "verified"})
EVIDENCE_NAMES = {"self": N_("self-declared"), "documented": N_("documented"), "verified": N_("verified")}
MOST_DISAGREED = 5


@dataclass(frozen=True)
class Evidence:
    kind: str  # "self", "documented" or "verified"
    reference: str  # the document or link, or who verified it


@dataclass(frozen=True)
class EvidenceShare:
    """Of the scored agreed answers, how many rest on documented or verified evidence."""

    backed: int
    scored: int

    @property
    def share(self) -> float | None:
        return self.backed / self.scored if self.scored else None


NO_EVIDENCE = EvidenceShare(backed=0, scored=0)


def evidence_share(answers: Iterable[tuple[int | None, str]]) -> EvidenceShare:
    """`answers`: (level, evidence kind) of the agreed answers to count."""
    scored = [kind for level, kind in answers if is_level(level)]
    return EvidenceShare(backed=sum(1 for kind in scored if kind in BACKED), scored=len(scored))


@dataclass(frozen=True)
class Disagreement:
    """How far apart a body's people were on one question (never who gave which level)."""

    question_id: str
    lowest: int
    median: int
    highest: int
    people: int  # how many gave a level 1-5

    @property
    def spread(self) -> int:
        return self.highest - self.lowest


def most_disagreed(
    given: Mapping[str, Sequence[int]], order: Sequence[str], top: int = MOST_DISAGREED
) -> list[Disagreement]:
    """The questions with the widest spread among the body's people, widest first (ties: more people,
    then the questionnaire's order); only questions where two or more gave a level and they differ."""
    found = []
    for index, question_id in enumerate(order):
        seen = views(given.get(question_id, ()))
        if not seen.spread:
            continue
        assert seen.lowest is not None and seen.highest is not None and seen.median is not None
        found.append(
            (
                (-seen.spread, -len(seen.levels), index),
                Disagreement(question_id, seen.lowest, seen.median, seen.highest, len(seen.levels)),
            )
        )
    return [d for _, d in sorted(found, key=lambda item: item[0])[:top]]
