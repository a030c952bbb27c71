"""The leadership summary's sentences, shared by the page and the PDF, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from ioa_assess.i18n import fmt_number, translate
from ioa_assess.questionnaire import load_questionnaire
from ioa_assess.services.leadership import Insight, LeadershipSummary, TargetStatus

# Levels 1 and 2 describe what is missing ("general ambitions, but no figures"); a step to take is a
# practice to adopt, so the step aims at least at level 3 (Established).
FIRST_PRACTICE_LEVEL = 3


@dataclass(frozen=True)
class InsightText:
    dimension: str  # "Markedsdialog (4,2)"
    step: str | None  # "Neste steg: nå nivå 3 (Etablert) i «…»: …"


def step_level(insight: Insight) -> int | None:
    if insight.next_level is None:
        return None
    return max(insight.next_level, FIRST_PRACTICE_LEVEL)


def insight_text(summary: LeadershipSummary, insight: Insight, lang: str) -> InsightText:
    questionnaire = load_questionnaire(summary.questionnaire_version)
    name = questionnaire.dimension(insight.dimension_id).name.get(lang)
    dimension = f"{name} ({fmt_number(insight.score, lang)})"
    level = step_level(insight)
    if not insight.question_id or level is None:
        return InsightText(dimension, None)
    question = questionnaire.question(insight.question_id)
    step = translate(
        lang,
        "Next step: reach level {level} ({name}) in “{question}”: {description}",
        level=level,
        name=questionnaire.scale.name(level, lang),
        question=question.title.get(lang),
        description=question.levels[level].get(lang),
    )
    return InsightText(dimension, step)


def target_status(target: TargetStatus, lang: str) -> str:
    if target.met:
        return translate(lang, "met")
    return translate(lang, "gap {gap}", gap=fmt_number(target.gap, lang))


def target_text(summary: LeadershipSummary, target: TargetStatus, lang: str) -> str:
    questionnaire = load_questionnaire(summary.questionnaire_version)
    name = questionnaire.dimension(target.dimension_id).name.get(lang)
    status = target_status(target, lang)
    return translate(
        lang,
        "{dimension}: target {target}, now {now} ({status})",
        dimension=name,
        target=fmt_number(target.target, lang),
        now=fmt_number(target.current, lang),
        status=status,
    )
