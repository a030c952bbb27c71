"""Peer spreads and the anonymity rule: nothing about fewer than k bodies, no differencing."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ioa_assess.config import k_anonymity
from ioa_assess.peers import DIFFERENCING, TOO_FEW, Spread, allowed, spread, withheld_groups

# --- helpers ---------------------------------------------------------------------------


def bodies(start: int, count: int) -> set[int]:
    """`count` body ids starting at `start`."""
    return set(range(start, start + count))


def shown(groups: dict[str, set[int]], k: int) -> set[str]:
    return set(groups) - set(withheld_groups(groups, k=k))


def expected_spread(values: list[float]) -> Spread:
    q1, median, q3 = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return Spread(n=len(values), low=min(values), q1=q1, median=median, q3=q3, high=max(values))


# --- k from the environment ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "k"),
    [(None, 5), ("", 5), ("7", 7), ("5", 5), ("3", 3), ("1", 3), ("0", 3), ("-4", 3), ("abc", 5), ("2.5", 5)],
)
def test_k_anonymity_from_environment(monkeypatch: pytest.MonkeyPatch, raw: str | None, k: int) -> None:
    if raw is None:
        monkeypatch.delenv("IOA_K_ANONYMITY", raising=False)
    else:
        monkeypatch.setenv("IOA_K_ANONYMITY", raw)
    assert k_anonymity() == k


# --- spread ----------------------------------------------------------------------------


def test_spread_needs_k_values() -> None:
    assert spread([3.0, 2.0, 4.0], k=4) is None
    assert spread([3.0, 2.0, 4.0, 1.0], k=4) is not None


def test_spread_of_nothing_is_none() -> None:
    assert spread([], k=3) is None


def test_spread_uses_k_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", "7")
    values = [1.0, 2.0, 2.5, 3.0, 3.5, 4.0]
    assert spread(values) is None
    assert spread([*values, 5.0]) == expected_spread([*values, 5.0])


def test_spread_default_k_is_five(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IOA_K_ANONYMITY", raising=False)
    assert spread([1.0, 2.0, 3.0, 4.0]) is None
    assert spread([1.0, 2.0, 3.0, 4.0, 5.0]) is not None


def test_spread_median_and_quartiles() -> None:
    result = spread([4.0, 1.0, 3.0, 2.0, 5.0], k=5)
    assert result == Spread(n=5, low=1.0, q1=2.0, median=3.0, q3=4.0, high=5.0)


def test_spread_matches_statistics_quantiles_inclusive() -> None:
    values = [2.2, 3.9, 1.4, 4.8, 3.1, 2.7]
    assert spread(values, k=5) == expected_spread(values)


def test_allowed() -> None:
    assert not allowed(4, k=5)
    assert allowed(5, k=5)


@given(st.lists(st.floats(min_value=1, max_value=5), min_size=2, max_size=30), st.integers(2, 10))
def test_spread_property(values: list[float], k: int) -> None:
    result = spread(values, k=k)
    if len(values) < k:
        assert result is None
    else:
        assert result == expected_spread(values)
        assert result.low <= result.q1 <= result.median <= result.q3 <= result.high


# --- withheld groups ---------------------------------------------------------------------


def test_a_group_with_k_minus_one_members_is_too_few() -> None:
    assert withheld_groups({"small": bodies(0, 4), "big": bodies(100, 5)}, k=5) == {"small": TOO_FEW}


def test_nested_groups_differing_by_fewer_than_k_hide_the_finer() -> None:
    groups = {"coarse": bodies(0, 9), "fine": bodies(0, 5)}  # differ by 4
    assert withheld_groups(groups, k=5) == {"fine": DIFFERENCING}


def test_nested_groups_differing_by_k_or_more_are_both_shown() -> None:
    groups = {"coarse": bodies(0, 10), "fine": bodies(0, 5)}  # differ by 5
    assert withheld_groups(groups, k=5) == {}


def test_equal_groups_are_both_shown() -> None:
    groups = {"a": bodies(0, 6), "b": bodies(0, 6)}
    assert withheld_groups(groups, k=5) == {}


def test_groups_that_are_not_nested_are_both_shown() -> None:
    groups = {"a": bodies(0, 6), "b": bodies(3, 6)}  # overlap, neither holds the other
    assert withheld_groups(groups, k=5) == {}


def test_rogaland_worked_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IOA_K_ANONYMITY", "5")
    rogaland = bodies(1100, 7)
    municipalities = set(sorted(rogaland)[:5])
    groups = {"Rogaland": rogaland, "Rogaland municipalities": municipalities}
    assert withheld_groups(groups) == {"Rogaland municipalities": DIFFERENCING}


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        ((5, 7, 12), {"A": DIFFERENCING}),  # A is close to B; B is far enough from C
        ((5, 10, 12), {"B": DIFFERENCING}),  # B is close to C; A is far enough from both
        ((5, 10, 15), {}),
    ],
)
def test_a_chain_of_nested_groups(sizes: tuple[int, int, int], expected: dict[str, str]) -> None:
    groups = {name: bodies(0, size) for name, size in zip("ABC", sizes, strict=True)}
    assert withheld_groups(groups, k=5) == expected


def test_k_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    groups = {"coarse": bodies(0, 12), "fine": bodies(0, 7)}  # differ by 5
    monkeypatch.setenv("IOA_K_ANONYMITY", "5")
    assert withheld_groups(groups) == {}
    monkeypatch.setenv("IOA_K_ANONYMITY", "6")
    assert withheld_groups(groups) == {"fine": DIFFERENCING}


group_families = st.dictionaries(
    keys=st.text(alphabet="abcdefgh", min_size=1, max_size=3),
    values=st.frozensets(st.integers(min_value=0, max_value=14), max_size=15),
    max_size=7,
)


@given(group_families, st.integers(min_value=3, max_value=6))
def test_no_shown_pair_allows_differencing(groups: dict[str, frozenset[int]], k: int) -> None:
    withheld = withheld_groups(groups, k=k)
    assert set(withheld) <= set(groups)
    assert set(withheld.values()) <= {TOO_FEW, DIFFERENCING}
    visible = {name: groups[name] for name in groups if name not in withheld}
    for name, members in visible.items():
        assert len(members) >= k, name
        for other, others in visible.items():
            if members < others:
                assert len(others - members) >= k, (name, other)
    for name, why in withheld.items():
        assert (why == TOO_FEW) == (len(groups[name]) < k), name


def test_only_shown_larger_groups_count_against_a_smaller_one() -> None:
    """Groups are walked from the largest down, whatever their names: a group withheld next to a
    larger one does not count against the groups inside it, which are compared with the shown ones.

    Two chains of nested groups (sizes 12 > 11 > 9, k = 3): the middle group differs from the largest
    by 1 and is withheld; the smallest differs from the largest by 3 and is shown. The names sort in
    neither size order, so walking by name (either way) withholds a smallest group too.
    """
    groups = {
        # chain 1: smallest named first
        "a-county": bodies(0, 9),
        "b-network": bodies(0, 12),
        "c-kind": bodies(0, 11),
        # chain 2: middle named first
        "a-kind": bodies(100, 11),
        "b-county": bodies(100, 9),
        "c-network": bodies(100, 12),
    }
    assert withheld_groups(groups, k=3) == {"c-kind": DIFFERENCING, "a-kind": DIFFERENCING}
    # What is shown stays safe: every shown nested pair differs by at least k.
    visible = shown(groups, k=3)
    assert visible == {"a-county", "b-network", "b-county", "c-network"}
    for small in visible:
        for large in visible:
            if groups[small] < groups[large]:
                assert len(groups[large] - groups[small]) >= 3
