"""The mark on a score compared across questionnaire versions that do not ask the same questions."""

from __future__ import annotations

from ioa_assess.comparability import Comparability, DimensionComparability
from ioa_assess.i18n import translate


def mark_text(comparability: Comparability | DimensionComparability | None, lang: str) -> str:
    """'measured with a changed questionnaire: 4 of 6 questions comparable', or '' when the two
    scores were measured on the same questions (or there is nothing to compare with)."""
    if comparability is None or comparability.fully:
        return ""
    return translate(
        lang,
        "measured with a changed questionnaire: {n} of {total} questions comparable",
        n=comparability.comparable,
        total=comparability.total,
    )
