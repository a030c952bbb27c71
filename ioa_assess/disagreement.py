"""How far a body's people are apart on one question, and the answer that stands until they agree.

Only levels 1-5 are compared; "don't know" and "not relevant" are no view on the level. The
provisional answer is the median; with an even number of levels, the lower of the two middle ones,
so that a body never claims more than half of its people see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import median_low

from ioa_assess.scoring import DONT_KNOW, NOT_RELEVANT, is_level

APART = 2  # levels between the lowest and highest view that call for a conversation


@dataclass(frozen=True)
class Views:
    """The levels several people gave to one question."""

    levels: tuple[int, ...]  # 1-5 only, sorted
    others: tuple[int, ...]  # "don't know" and "not relevant" answers

    @property
    def lowest(self) -> int | None:
        return self.levels[0] if self.levels else None

    @property
    def highest(self) -> int | None:
        return self.levels[-1] if self.levels else None

    @property
    def median(self) -> int | None:
        return median_low(self.levels) if self.levels else None

    @property
    def spread(self) -> int | None:
        """Highest minus lowest level, when at least two people gave a level."""
        return self.levels[-1] - self.levels[0] if len(self.levels) >= 2 else None

    @property
    def apart(self) -> bool:
        return (self.spread or 0) >= APART

    @property
    def settled(self) -> bool:
        """Everyone gave the same answer, or the levels are less than APART apart (and nobody
        answered "don't know" beside a level): the median can stand without a conversation."""
        if not self.levels:
            return len(set(self.others)) == 1
        return not self.others and not self.apart

    def provisional(self) -> int | None:
        """The answer that stands until the body agrees one."""
        if self.levels:
            return self.median
        if self.others:
            return DONT_KNOW if DONT_KNOW in self.others else NOT_RELEVANT
        return None


def views(answers: Iterable[int | None]) -> Views:
    given = [a for a in answers if a is not None]
    return Views(
        levels=tuple(sorted(a for a in given if is_level(a))),
        others=tuple(a for a in given if not is_level(a)),
    )
