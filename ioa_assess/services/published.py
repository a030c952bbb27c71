"""Published snapshots: the statistics of a round as everyone outside a body sees them.

The rule (see ioa_assess/peers.py) is applied here: a round's snapshot is replaced only when at
least k bodies have submitted since the last one. Every page that shows peers, the cohort or the
region reads the round's current snapshot, never the live answers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, exists, func, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ioa_assess.peers import publication_due
from ioa_assess.services.actor import now
from ioa_assess.services.memo import cached
from ioa_assess.services.pseudonyms import network_salt, snapshot_pseudonyms
from ioa_assess.services.scores import BodyInfo, body_info
from ioa_assess.services.stored_scores import store_missing_scores
from ioa_assess.storage.engine import session_scope
from ioa_assess.storage.models import (
    Assessment,
    AssessmentScore,
    Body,
    PublishedSnapshot,
    Round,
    SnapshotBody,
    SnapshotScore,
)

KEPT_SNAPSHOTS = 2  # the current one and the one before, for a page that is reading it just now


@dataclass(frozen=True)
class Snapshot:
    """One round's published scores: per covered body its pseudonym, overall and dimension scores,
    and its levels per question (1-5; "not relevant" left out)."""

    id: int
    round_id: int
    bodies: dict[int, BodyInfo]
    codes: dict[int, str]
    overall: dict[int, float | None]
    dimensions: dict[int, dict[str, float | None]]
    levels: dict[int, dict[str, int]]
    # body -> question -> highest minus lowest level its people gave (where several gave one)
    spreads: dict[int, dict[str, int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.bodies)


def _latest(session: Session, round_id: int) -> PublishedSnapshot | None:
    query = (
        select(PublishedSnapshot)
        .where(PublishedSnapshot.round_id == round_id)
        .order_by(PublishedSnapshot.sequence.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def _new_bodies(session: Session, round_id: int, snapshot_id: int | None) -> int:
    """Submitted bodies of the round that the snapshot does not cover."""
    query = select(func.count()).where(Assessment.round_id == round_id, Assessment.status == "submitted")
    if snapshot_id is not None:
        covered = exists().where(
            SnapshotBody.snapshot_id == snapshot_id, SnapshotBody.body_id == Assessment.body_id
        )
        query = query.where(~covered)
    return session.scalar(query) or 0


def round_activity(session: Session, round_id: int) -> tuple[int, object]:
    """(assessments, latest change) of a round, from one index: every answer, submission and
    reopening moves it, so it keys what is computed from the round's live state."""
    query = select(func.count(), func.max(Assessment.updated_at)).where(Assessment.round_id == round_id)
    count, latest = session.execute(query).one()
    return count, latest


def current_snapshot_id(round_id: int) -> int | None:
    """The id of the round's snapshot, published first if it is due; None while fewer than k bodies
    have submitted. Cheap when nothing is due: two index lookups (whether a snapshot is due is only
    counted again when the round's activity has moved)."""
    with session_scope() as session:
        latest_id, due = snapshot_state(session, round_id)
    return publish(round_id) if due else latest_id


def snapshot_state(session: Session, round_id: int) -> tuple[int | None, bool]:
    """(the round's latest snapshot id, whether a new one is due), in the caller's transaction."""
    latest = _latest(session, round_id)
    latest_id = latest.id if latest else None
    activity = round_activity(session, round_id)
    new_bodies = cached(
        ("new-bodies", round_id, latest_id, activity), lambda: _new_bodies(session, round_id, latest_id)
    )
    return latest_id, publication_due(new_bodies)


def publish(round_id: int, closing: bool = False) -> int | None:
    """Publish a new snapshot of the round if it is due (and mark it final when the round closes);
    returns the current snapshot's id. Safe with several servers: one of them publishes."""
    with session_scope() as session:
        network_id = session.scalar(select(Round.network_id).where(Round.id == round_id))
    if network_id is None:
        return None
    salt = network_salt(network_id)
    try:
        with session_scope(write=True) as session:
            # Lock the round, so that two servers do not publish the same growth twice.
            session.execute(select(Round.id).where(Round.id == round_id).with_for_update()).one()
            latest = _latest(session, round_id)
            if not publication_due(_new_bodies(session, round_id, latest.id if latest else None)):
                if latest is not None and closing:
                    latest.final = True
                return latest.id if latest else None
            store_missing_scores(session, round_id)
            submitted = dict(
                session.execute(
                    select(Assessment.body_id, Assessment.id).where(
                        Assessment.round_id == round_id, Assessment.status == "submitted"
                    )
                ).all()
            )
            snapshot = PublishedSnapshot(
                round_id=round_id,
                sequence=(latest.sequence + 1) if latest else 1,
                bodies=len(submitted),
                final=closing,
                published_at=now(),
            )
            session.add(snapshot)
            session.flush()
            codes = snapshot_pseudonyms(snapshot.id, list(submitted), salt)
            session.execute(
                insert(SnapshotBody),
                [
                    {"snapshot_id": snapshot.id, "body_id": b, "assessment_id": a, "code": codes[b]}
                    for b, a in submitted.items()
                ],
            )
            # The scores are copied in the database: one statement, whatever the size of the round.
            copied = (
                select(
                    literal(snapshot.id),
                    Assessment.body_id,
                    AssessmentScore.kind,
                    AssessmentScore.item_id,
                    AssessmentScore.value,
                )
                .join(Assessment, Assessment.id == AssessmentScore.assessment_id)
                .where(Assessment.round_id == round_id, Assessment.status == "submitted")
            )
            session.execute(
                insert(SnapshotScore).from_select(
                    ["snapshot_id", "body_id", "kind", "item_id", "value"], copied
                )
            )
            old = select(PublishedSnapshot.id).where(
                PublishedSnapshot.round_id == round_id,
                PublishedSnapshot.sequence <= snapshot.sequence - KEPT_SNAPSHOTS,
            )
            old_ids = list(session.scalars(old))
            if old_ids:
                session.execute(delete(SnapshotScore).where(SnapshotScore.snapshot_id.in_(old_ids)))
                session.execute(delete(SnapshotBody).where(SnapshotBody.snapshot_id.in_(old_ids)))
                session.execute(delete(PublishedSnapshot).where(PublishedSnapshot.id.in_(old_ids)))
            return snapshot.id
    except IntegrityError:  # another server published the same snapshot at the same moment
        with session_scope() as session:
            latest = _latest(session, round_id)
            return latest.id if latest else None


def load_snapshot(snapshot_id: int) -> Snapshot:
    """A published snapshot, read once per server (it never changes)."""
    return cached(("snapshot", snapshot_id), lambda: _read_snapshot(snapshot_id))


def _read_snapshot(snapshot_id: int) -> Snapshot:
    with session_scope() as session:
        round_id = session.scalar(
            select(PublishedSnapshot.round_id).where(PublishedSnapshot.id == snapshot_id)
        )
        codes = dict(
            session.execute(
                select(SnapshotBody.body_id, SnapshotBody.code).where(SnapshotBody.snapshot_id == snapshot_id)
            ).all()
        )
        infos = body_info(session, list(codes))
        overall: dict[int, float | None] = {}
        dimensions: dict[int, dict[str, float | None]] = defaultdict(dict)
        levels: dict[int, dict[str, int]] = defaultdict(dict)
        spreads: dict[int, dict[str, int]] = defaultdict(dict)
        query = select(
            SnapshotScore.body_id, SnapshotScore.kind, SnapshotScore.item_id, SnapshotScore.value
        ).where(SnapshotScore.snapshot_id == snapshot_id)
        for body_id, kind, item_id, value in session.execute(query):
            if kind == "question":
                if value is not None:
                    levels[body_id][item_id] = int(value)
            elif kind == "dimension":
                dimensions[body_id][item_id] = value
            elif kind == "spread":
                spreads[body_id][item_id] = int(value or 0)
            else:
                overall[body_id] = value
    return Snapshot(
        id=snapshot_id,
        round_id=round_id or 0,
        bodies=infos,
        codes=codes,
        overall={b: overall.get(b) for b in codes},
        dimensions={b: dimensions.get(b, {}) for b in codes},
        levels={b: levels.get(b, {}) for b in codes},
        spreads={b: spreads[b] for b in codes if b in spreads},
    )


def round_snapshot(round_id: int) -> Snapshot | None:
    """The round's current published snapshot (published first if due), or None."""
    snapshot_id = current_snapshot_id(round_id)
    return load_snapshot(snapshot_id) if snapshot_id is not None else None


def named_in_snapshot(snapshot_id: int) -> frozenset[int]:
    """The bodies of a snapshot that agree, now, to be named in the network (read live)."""
    query = (
        select(SnapshotBody.body_id)
        .join(Body, Body.id == SnapshotBody.body_id)
        .where(SnapshotBody.snapshot_id == snapshot_id, Body.named_in_network.is_(True))
    )
    with session_scope() as session:
        return frozenset(session.scalars(query))
