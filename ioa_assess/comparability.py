"""Which questions of two questionnaire versions measure the same thing, so rounds can be compared.

A version names its `previous` one and marks each question same, reworded, changed or new. Two
rounds are comparable question by question only on questions kept as same/reworded at every step
between their versions. A dimension score of two versions is comparable only when the dimension
has exactly the same (comparable) questions in both; otherwise it is shown with a mark saying how
many of its questions are comparable.
"""

from __future__ import annotations

from dataclasses import dataclass

from ioa_assess.questionnaire import COMPARABLE_CHANGES, Questionnaire, Text, load_questionnaire

STATUSES = ("same", "reworded", "changed", "new", "removed")


@dataclass(frozen=True)
class QuestionChange:
    """How one question of the later version (or a removed one of the earlier) relates to the other."""

    status: str  # one of STATUSES
    question_id: str
    dimension_id: str
    title: Text
    replaces: tuple[str, ...] = ()
    reason: Text | None = None  # why a question was removed


def _chain(earlier: str, later: str) -> list[Questionnaire] | None:
    """The versions from `earlier` to `later` following `previous` links, or None if not linked."""
    steps = [load_questionnaire(later)]
    seen = {later}
    while steps[-1].id != earlier:
        previous = steps[-1].previous
        if previous is None or previous in seen:
            return None
        seen.add(previous)
        steps.append(load_questionnaire(previous))
    return list(reversed(steps))


def linked(earlier: str, later: str) -> bool:
    """Whether `later` follows `earlier` through `previous` links (or is the same version)."""
    return _chain(earlier, later) is not None


def comparable_questions(version_a: str, version_b: str) -> set[str]:
    """The question ids that rounds of the two versions can be compared on (either order)."""
    if version_a == version_b:
        return {q.id for q in load_questionnaire(version_a).questions}
    chain = _chain(version_a, version_b) or _chain(version_b, version_a)
    if chain is None:
        return set()
    kept = {q.id for q in chain[0].questions}
    for step in chain[1:]:
        kept &= {q.id for q in step.questions if q.change in COMPARABLE_CHANGES}
    return kept


@dataclass(frozen=True)
class DimensionComparability:
    """How far a dimension's score in one version can be compared with its score in another."""

    dimension_id: str
    comparable: int  # questions comparable question by question
    total: int  # questions the dimension has in the later version
    same_questions: bool  # both versions score the dimension on exactly the comparable questions

    @property
    def fully(self) -> bool:
        return self.same_questions


def dimension_comparability(version_a: str, version_b: str, dimension_id: str) -> DimensionComparability:
    """How many of dimension D's questions are comparable between two versions."""
    a, b = load_questionnaire(version_a), load_questionnaire(version_b)
    later = b if b.version >= a.version else a
    comparable = comparable_questions(version_a, version_b)
    ids_a = {q.id for q in a.questions_in(dimension_id)} if _has(a, dimension_id) else set()
    ids_b = {q.id for q in b.questions_in(dimension_id)} if _has(b, dimension_id) else set()
    ids_later = ids_b if later is b else ids_a
    shared = ids_a & ids_b & comparable
    return DimensionComparability(
        dimension_id=dimension_id,
        comparable=len(shared),
        total=len(ids_later),
        same_questions=ids_a == ids_b == shared,
    )


def _has(questionnaire: Questionnaire, dimension_id: str) -> bool:
    return any(d.id == dimension_id for d in questionnaire.dimensions)


@dataclass(frozen=True)
class Comparability:
    """The comparability of every dimension, and of the overall score, between two versions."""

    earlier: str
    later: str
    dimensions: dict[str, DimensionComparability]

    @property
    def fully(self) -> bool:
        return all(d.fully for d in self.dimensions.values())

    @property
    def comparable(self) -> int:
        return sum(d.comparable for d in self.dimensions.values())

    @property
    def total(self) -> int:
        return sum(d.total for d in self.dimensions.values())


def comparability(earlier: str, later: str) -> Comparability:
    dimension_ids = [d.id for d in load_questionnaire(later).dimensions]
    return Comparability(
        earlier, later, {d: dimension_comparability(earlier, later, d) for d in dimension_ids}
    )


def question_changes(earlier: str, later: str) -> list[QuestionChange]:
    """Every question of `later` with its status against `earlier`, then the removed ones.

    For two versions more than one step apart, a question is same/reworded only if it was so at
    every step, changed if it replaces (or its id was in) an earlier question, else new.
    """
    old, new = load_questionnaire(earlier), load_questionnaire(later)
    comparable = comparable_questions(earlier, later)
    old_ids = {q.id for q in old.questions}
    direct = new.previous == earlier
    changes = []
    for q in new.questions:
        if q.id in comparable:
            status = (q.change or "same") if direct else _multi_step_status(earlier, later, q.id)
        elif q.replaces or q.id in old_ids or q.change == "changed":
            status = "changed"
        else:
            status = "new"
        changes.append(QuestionChange(status, q.id, q.dimension, q.title, tuple(q.replaces)))
    reasons = {r.id: r.reason for r in new.removed} if direct else {}
    successors = comparable | {old_id for q in new.questions for old_id in q.replaces}
    for q in old.questions:
        if q.id not in successors and q.id not in {c.question_id for c in changes}:
            changes.append(QuestionChange("removed", q.id, q.dimension, q.title, reason=reasons.get(q.id)))
    return changes


def _multi_step_status(earlier: str, later: str, question_id: str) -> str:
    chain = _chain(earlier, later) or []
    steps = [step.question(question_id).change for step in chain[1:]]
    return "same" if all(change == "same" for change in steps) else "reworded"


def change_counts(changes: list[QuestionChange]) -> dict[str, int]:
    return {status: sum(1 for c in changes if c.status == status) for status in STATUSES}


def diff_lines(earlier: str, later: str) -> list[str]:
    """`STATUS ID title` per question (title in bokmål), and the counts on the last line."""
    changes = question_changes(earlier, later)
    lines = [f"{c.status} {c.question_id} {c.title.get('nb')}" for c in changes]
    counts = change_counts(changes)
    lines.append(
        f"{earlier} -> {later}: {counts['same']} same, {counts['reworded']} reworded, "
        f"{counts['changed']} changed, {counts['new']} new, {counts['removed']} removed"
    )
    return lines
