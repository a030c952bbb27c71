"""What was e-mailed to whom: the latest message per body, and how long ago in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioa_assess.i18n import N_, translate
from ioa_assess.services.actor import now
from ioa_assess.storage.models import SentMessage


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class LastMessage:
    kind: str
    sent_at: datetime


def last_messages(session: Session, round_id: int) -> dict[int, LastMessage]:
    """The latest e-mail each body got in the round."""
    rows = session.execute(
        select(SentMessage.body_id, SentMessage.kind, SentMessage.sent_at)
        .where(SentMessage.round_id == round_id)
        .order_by(SentMessage.sent_at, SentMessage.id)
    )
    return {body_id: LastMessage(kind, aware(at)) for body_id, kind, at in rows}


def days_ago_text(message: LastMessage | None, lang: str, at: datetime | None = None) -> str:
    """ "reminded 3 days ago", "invited today" in `lang`; "" when nothing was sent."""
    if message is None:
        return ""
    days = ((at or now()).date() - message.sent_at.date()).days
    if message.kind == "invitation":
        texts = (N_("invited today"), N_("invited yesterday"), N_("invited {n} days ago"))
    else:
        texts = (N_("reminded today"), N_("reminded yesterday"), N_("reminded {n} days ago"))
    if days <= 0:
        return translate(lang, texts[0])
    if days == 1:
        return translate(lang, texts[1])
    return translate(lang, texts[2], n=days)
