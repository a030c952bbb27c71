"""Peer groups, their spread, and the anonymity rule, in one place.

No statistic about fewer than k bodies is ever produced, and when two groups a user can choose
are nested and differ by fewer than k bodies, the finer one is withheld: otherwise comparing the
two would single out the few bodies in between (differencing). Only groups that are shown count:
a finer group next to a withheld one is compared with the shown groups that contain it.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ioa_assess.config import k_anonymity

TOO_FEW = "too_few"
DIFFERENCING = "differencing"


@dataclass(frozen=True)
class Spread:
    """Distribution of a score over at least k bodies."""

    n: int
    low: float
    q1: float
    median: float
    q3: float
    high: float


def spread(values: Sequence[float], k: int | None = None) -> Spread | None:
    """Median and quartiles of `values`, or None when there are fewer than k of them."""
    k = k_anonymity() if k is None else k
    if len(values) < k or not values:
        return None
    ordered = sorted(values)
    q1, median, q3 = (
        statistics.quantiles(ordered, n=4, method="inclusive") if len(ordered) > 1 else ordered * 3
    )
    return Spread(n=len(ordered), low=ordered[0], q1=q1, median=median, q3=q3, high=ordered[-1])


def allowed(n: int, k: int | None = None) -> bool:
    return n >= (k_anonymity() if k is None else k)


def withheld_groups(groups: Mapping[str, Iterable[int]], k: int | None = None) -> dict[str, str]:
    """Groups that must not be shown, each with why: TOO_FEW or DIFFERENCING.

    `groups` maps every group a user can choose to the ids of the bodies it holds.
    """
    k = k_anonymity() if k is None else k
    members = {name: frozenset(ids) for name, ids in groups.items()}
    withheld = {name: TOO_FEW for name, ids in members.items() if len(ids) < k}
    # Walk from the largest group to the smallest: whether a group is shown depends only on the
    # larger groups that contain it, and a larger group that is itself withheld cannot be compared
    # with, so it does not count against the smaller ones (`other in withheld`).
    candidates = sorted((n for n in members if n not in withheld), key=lambda n: -len(members[n]))
    for name in candidates:
        for other in candidates:
            if other == name or other in withheld:
                continue
            small, large = members[name], members[other]
            if small < large and len(large - small) < k:
                withheld[name] = DIFFERENCING
                break
    return withheld


# --- publication over time ---------------------------------------------------------------------
#
# The rules above hold within one moment. Between two moments a user could subtract: if one more
# body's scores were added, the change of a minimum, a median or a share would give them away.
# So statistics are published, not recomputed: a round's peer, cohort and regional statistics are
# a stored snapshot, replaced only when at least k bodies have submitted since the last snapshot
# (the first one needs k bodies, as before). Each snapshot draws its pseudonyms anew, so no row can
# be followed from one snapshot to the next. A body that reopens and resubmits keeps its old scores
# in the snapshot until the next one. Any difference of two displayed snapshots thus mixes at least
# k bodies. The cost: a body that submits late may wait until k - 1 more have submitted before its
# scores count in what others see; its own results are shown at once. When a round closes with
# fewer than k bodies still waiting, the last snapshot stays the round's final one and those bodies
# are left out of the statistics: adding them would single them out.


def publication_due(new_bodies: int, k: int | None = None) -> bool:
    """Whether a new snapshot is published, given the bodies submitted since the last one."""
    return new_bodies >= (k_anonymity() if k is None else k)
