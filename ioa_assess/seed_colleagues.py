"""The demo body's colleagues: three people answered the open round, and in places they disagree,
so that comparing and agreeing can be tried in the demo."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ioa_assess.scoring import is_level
from ioa_assess.storage.models import AnswerSet, Assessment, PersonalAnswer, Respondent, Response

# (label, named to colleagues)
COLLEAGUES = [("Kommunalsjef helse og omsorg, Gjesdal", True), ("Rådgiver økonomi, Gjesdal", False)]
APART_QUESTIONS = 6  # questions where one colleague sees the body two levels away from the others
EVIDENCE = [
    ("documented", "Anskaffelsesstrategi 2024–2027, vedtatt i kommunestyret"),
    ("documented", "Rutine for kontraktsoppfølging i kvalitetssystemet"),
    ("verified", "Internrevisjonen, rapport mars 2025"),
]
COMMENTS = [
    "Slik jeg ser det fra helse og omsorg, er dette ikke på plass hos oss.",
    "Vi har gjort dette i velferdsteknologiprosjektet, men ikke ellers.",
    "Usikker; dette bør vi ta opp på neste ledermøte.",
    "Økonomi ser dette i budsjettarbeidet, ikke i anskaffelsene.",
]
AGREED_REASON = "Vi ble enige i ledermøtet: strategien er vedtatt, men ikke tatt i bruk ennå."


def _near(rng: random.Random, level: int) -> int:
    return min(5, max(1, level + rng.choice((0, 0, 0, 0, 1, -1, 1))))


def colleagues(session: Session, rng: random.Random, body_id: int, round_id: int) -> None:
    assessment = session.scalar(
        select(Assessment).where(Assessment.body_id == body_id, Assessment.round_id == round_id)
    )
    first = (
        session.scalar(select(AnswerSet).where(AnswerSet.assessment_id == assessment.id))
        if assessment
        else None
    )
    if assessment is None or first is None:
        return
    session.get(Respondent, first.respondent_id).named_to_colleagues = True  # type: ignore[union-attr]
    own = {
        a.question_id: a
        for a in session.scalars(select(PersonalAnswer).where(PersonalAnswer.answer_set_id == first.id))
    }
    scored = sorted(q for q, a in own.items() if is_level(a.level))
    for question_id, (kind, ref) in zip(
        rng.sample(scored, min(len(EVIDENCE), len(scored))), EVIDENCE, strict=False
    ):
        own[question_id].evidence, own[question_id].evidence_ref = kind, ref
    apart = set(rng.sample(scored, min(APART_QUESTIONS, len(scored))))
    began = first.created_at
    for index, (label, named) in enumerate(COLLEAGUES):
        moment = began + timedelta(days=2 + 3 * index)
        respondent = Respondent(body_id=body_id, label=label, created_at=moment, named_to_colleagues=named)
        session.add(respondent)
        session.flush()
        answer_set = AnswerSet(
            assessment_id=assessment.id,
            respondent_id=respondent.id,
            created_at=moment,
            done_at=moment + timedelta(days=1) if index == 0 else None,
        )
        session.add(answer_set)
        session.flush()
        share = 0.95 if index == 0 else 0.8
        for question_id in scored:
            if rng.random() > share and question_id not in apart:
                continue
            base = own[question_id].level or 3
            if question_id in apart and index == 1:
                level = base + 2 if base <= 3 else base - 2
            else:
                level = _near(rng, base)
            session.add(
                PersonalAnswer(
                    answer_set_id=answer_set.id,
                    question_id=question_id,
                    level=level,
                    comment=rng.choice(COMMENTS) if rng.random() < 0.15 or question_id in apart else "",
                    evidence="self",
                    evidence_ref="",
                    updated_at=moment + timedelta(hours=rng.randint(1, 30)),
                )
            )
    # Several voices: the body's answers are the ones agreed, and so far one was (with its reason).
    session.execute(delete(Response).where(Response.assessment_id == assessment.id))
    session.flush()
    agreed_on = sorted(apart)[0] if apart else None
    if agreed_on is not None:
        session.add(
            Response(
                assessment_id=assessment.id,
                question_id=agreed_on,
                level=own[agreed_on].level,
                comment="",
                agreement="agreed",
                reason=AGREED_REASON,
                evidence=own[agreed_on].evidence,
                evidence_ref=own[agreed_on].evidence_ref,
                respondent_id=first.respondent_id,
                updated_at=datetime(2026, 11, 12, 10, 0, tzinfo=UTC),
            )
        )
