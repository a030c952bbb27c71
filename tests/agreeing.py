"""The agency lead agrees every open question of the body's assessment (settled ones by accepting
the median, the others at their provisional answer with a reason), so that it can be submitted."""

from __future__ import annotations

from ioa_assess.services.actor import Actor
from ioa_assess.services.agreement import accept_medians, agree, compare

REASON = "Vi ble enige i møtet."


def agree_every_answer(lead: Actor) -> int:
    """Returns how many questions were agreed."""
    comparison = compare(lead)
    agreed = accept_medians(lead, comparison.assessment_id)
    for question_id in compare(lead).open_questions:
        level = comparison.questions[question_id].seen.provisional()
        assert level is not None
        agree(lead, comparison.assessment_id, question_id, level, REASON)
        agreed += 1
    return agreed
