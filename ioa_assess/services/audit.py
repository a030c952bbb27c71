"""The audit trail: append-only, written in the same transaction as what it records.

Who did what, when: sign-ins and their failures, sign-outs, submissions, reopenings, exports, account,
role and code changes, deletions and purges. No code path changes or deletes an audit row: the
listeners below refuse it for every session, whatever a future service tries.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from ioa_assess.services.actor import Actor, now
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import AuditEvent

MAX_WHAT_LENGTH = 254


class AuditTrailIsAppendOnly(RuntimeError):
    """A programming error: something tried to change or delete an audit row."""


def record(session: Session, actor: Actor | str, action: str, target: str = "", detail: str = "") -> None:
    label = actor if isinstance(actor, str) else actor.label
    session.add(AuditEvent(at=now(), actor=label[:254], action=action, target=target[:254], detail=detail))


def record_export(actor: Actor, what: str, detail: str = "") -> None:
    """Record that `actor` downloaded or wrote out `what` (for example "person:12 (json)").

    Called by every download on the admin page and by the export commands; anyone who may see an
    export may record it, so there is nothing to refuse.
    """
    with session_scope(write=True) as session:
        record(session, actor, "export", what[:MAX_WHAT_LENGTH], detail)


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_changed_rows(_mapper: object, _connection: object, _row: AuditEvent) -> None:
    raise AuditTrailIsAppendOnly("audit events are never changed or deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is AuditEvent.__mapper__:
        raise AuditTrailIsAppendOnly("audit events are never changed or deleted")
