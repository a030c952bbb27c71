"""The database schema. Changes go through an Alembic migration in storage/migrations."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Explicit constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

BODY_KINDS = ("municipality", "county_council", "health_trust", "state_agency")
WRITTEN_STANDARDS = ("nynorsk", "bokmal", "neutral")
ROLES = ("participant", "agency_lead", "leader", "facilitator", "regional_leader", "admin")
ASSESSMENT_STATUSES = ("draft", "submitted")


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite would otherwise hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class County(Base):
    __tablename__ = "counties"
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Body(Base):
    """A public body: municipality, county council, health trust or state agency."""

    __tablename__ = "bodies"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    county_number: Mapped[int] = mapped_column(ForeignKey("counties.number"))
    municipality_number: Mapped[str | None] = mapped_column(String(4), unique=True)
    org_number: Mapped[str | None] = mapped_column(String(9), unique=True)
    population: Mapped[int | None] = mapped_column(Integer)
    written_standard: Mapped[str] = mapped_column(String(10), default="neutral")
    named_in_network: Mapped[bool] = mapped_column(Boolean, default=False)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        CheckConstraint(f"kind IN {BODY_KINDS!r}", name="kind"),
        CheckConstraint(f"written_standard IN {WRITTEN_STANDARDS!r}", name="written_standard"),
    )


class Network(Base):
    __tablename__ = "networks"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NetworkMember(Base):
    __tablename__ = "network_members"
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Round(Base):
    """One measurement of a network: its dates and the questionnaire version it uses."""

    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    questionnaire_version: Mapped[str] = mapped_column(String(40))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("network_id", "name", name="uq_rounds_network_name"),)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id", ondelete="SET NULL"))
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id", ondelete="SET NULL"))
    language: Mapped[str | None] = mapped_column(String(2))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    __table_args__ = (CheckConstraint(f"role IN {ROLES!r}", name="role"),)


class Invitation(Base):
    """A one-time invitation code bound to one body and round; only its hash is stored."""

    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(128), unique=True)
    hint: Mapped[str] = mapped_column(String(8))
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_count: Mapped[int] = mapped_column(Integer, default=0)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Assessment(Base):
    """One body's answers in one round: a draft until submitted."""

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("respondents.id", ondelete="SET NULL"))
    __table_args__ = (
        UniqueConstraint("body_id", "round_id", name="uq_assessments_body_round"),
        CheckConstraint(f"status IN {ASSESSMENT_STATUSES!r}", name="status"),
        # A round's activity (count, latest change) is read from this index alone.
        Index("ix_assessments_round_updated", "round_id", "updated_at"),
    )


class Respondent(Base):
    """A person answering for a body: an account, or the holder of an invitation code."""

    __tablename__ = "respondents"
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="SET NULL"))
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Whether colleagues comparing answers see this person's label; otherwise "Respondent A, B...".
    named_to_colleagues: Mapped[bool] = mapped_column(Boolean, default=False)


EVIDENCE_KINDS = ("self", "documented", "verified")
AGREEMENTS = ("single", "agreed")


class Response(Base):
    """The body's agreed answer to one question: what its results, its peers' statistics and every
    export use. Each answer is its own row (safe for two writers).

    level: 1-5; 0 for "don't know" (in a v1 round the combined "don't know / not relevant");
    -1 for "not relevant" (v2 on); NULL while only a comment is given.
    agreement: "single" while one person answers for the body (their answer is the body's, kept in
    step with their own set); "agreed" when the agency lead recorded it after comparing several.
    """

    __tablename__ = "responses"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(20))
    level: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("respondents.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    agreement: Mapped[str] = mapped_column(String(10), default="single", server_default="single")
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    evidence: Mapped[str] = mapped_column(String(12), default="self", server_default="self")
    evidence_ref: Mapped[str] = mapped_column(String(300), default="", server_default="")
    __table_args__ = (
        UniqueConstraint("assessment_id", "question_id", name="uq_responses_assessment_question"),
        CheckConstraint("level IS NULL OR (level >= -1 AND level <= 5)", name="level"),
        CheckConstraint(f"agreement IN {AGREEMENTS!r}", name="agreement"),
        CheckConstraint(f"evidence IN {EVIDENCE_KINDS!r}", name="evidence"),
    )


class AnswerSet(Base):
    """One person's own answers to a body's assessment: nobody else's answers are shown while they
    answer, and they say when their part is done."""

    __tablename__ = "answer_sets"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondents.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    __table_args__ = (
        UniqueConstraint("assessment_id", "respondent_id", name="uq_answer_sets_assessment_respondent"),
    )


class PersonalAnswer(Base):
    """One person's answer to one question, with how sure it is (see Response for the levels)."""

    __tablename__ = "personal_answers"
    answer_set_id: Mapped[int] = mapped_column(
        ForeignKey("answer_sets.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    level: Mapped[int | None] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(String(12), default="self")
    evidence_ref: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (
        CheckConstraint("level IS NULL OR (level >= -1 AND level <= 5)", name="level"),
        CheckConstraint(f"evidence IN {EVIDENCE_KINDS!r}", name="evidence"),
    )


class Target(Base):
    """A body's target level for one dimension."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    dimension_id: Mapped[str] = mapped_column(String(10))
    level: Mapped[float] = mapped_column()
    due_on: Mapped[date | None] = mapped_column(Date)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("respondents.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (
        UniqueConstraint("body_id", "dimension_id", name="uq_targets_body_dimension"),
        CheckConstraint("level >= 1 AND level <= 5", name="level"),
    )


class AuditEvent(Base):
    """Append-only record of who did what, when."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(254), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class Meta(Base):
    """Small facts about the database itself (for example that it holds the demo network)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class WebSession(Base):
    """A browser's sign-in that survives reloads: the cookie holds a token whose hash is stored here.

    The cookie is set by an HTTP route (HttpOnly), which trades a one-time handoff token for it.
    """

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handoff_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


SCORE_KINDS = ("question", "dimension", "overall", "spread")


class AssessmentScore(Base):
    """A submitted assessment's scores, computed once when it is submitted (or reopened).

    One row per question (its level; None for "not relevant"), per dimension and one overall row
    (item_id ""), each with the counts it was computed from; and, where several people answered,
    one "spread" row per question: highest minus lowest of their levels (scored = how many gave one).
    """

    __tablename__ = "assessment_scores"
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[float | None] = mapped_column()
    scored: Mapped[int] = mapped_column(SmallInteger)
    not_relevant: Mapped[int] = mapped_column(SmallInteger)
    total: Mapped[int] = mapped_column(SmallInteger)
    __table_args__ = (CheckConstraint(f"kind IN {SCORE_KINDS!r}", name="kind"),)


class PublishedSnapshot(Base):
    """The statistics of a round as everyone outside a body sees them (see ioa_assess/peers.py).

    A new snapshot is published only when at least k more bodies have submitted since the last one.
    """

    __tablename__ = "published_snapshots"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    bodies: Mapped[int] = mapped_column(Integer)
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("round_id", "sequence", name="uq_published_snapshots_round_sequence"),)


class SnapshotBody(Base):
    """A body covered by a snapshot, under the pseudonym drawn for that snapshot."""

    __tablename__ = "snapshot_bodies"
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("published_snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(12))


class SnapshotScore(Base):
    """A copy of a covered body's scores as they were at publication: a later reopening and
    resubmission changes nothing others see until the next snapshot."""

    __tablename__ = "snapshot_scores"
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("published_snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[float | None] = mapped_column()


ACTION_STATUSES = ("planned", "in_progress", "done", "dropped")


class Action(Base):
    """One step of a body's improvement plan (handlingsplan).

    round_id is the round the body stood in when the action was made: the "before" of its outcome.
    question_ids holds the questions it addresses, space-separated; dimension_id a whole dimension.
    People are kept as a label (what was shown when it was written) and, for accounts, a user id,
    so that erasing a person can remove both and keep the action.
    """

    __tablename__ = "actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    question_ids: Mapped[str] = mapped_column(String(200), default="")
    dimension_id: Mapped[str | None] = mapped_column(String(10))
    target_level: Mapped[int | None] = mapped_column(SmallInteger)
    owner: Mapped[str] = mapped_column(String(200), default="")
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="planned")
    done_on: Mapped[date | None] = mapped_column(Date)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by: Mapped[str | None] = mapped_column(String(254))
    approved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(254))
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_by: Mapped[str] = mapped_column(String(254))
    updated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    __table_args__ = (
        CheckConstraint(f"status IN {ACTION_STATUSES!r}", name="status"),
        CheckConstraint(
            "target_level IS NULL OR (target_level >= 1 AND target_level <= 5)", name="target_level"
        ),
    )


class ActionNote(Base):
    """A dated progress note on an action."""

    __tablename__ = "action_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(254))
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Contact(Base):
    """The person who receives a member body's invitation and reminders in one round."""

    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (UniqueConstraint("round_id", "body_id", name="uq_contacts_round_body"),)


class SentMessage(Base):
    """An e-mail the server accepted for delivery: an invitation or a reminder to a body's contact."""

    __tablename__ = "sent_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_by: Mapped[str] = mapped_column(String(254))
    __table_args__ = (CheckConstraint("kind IN ('invitation', 'reminder')", name="kind"),)


class MailText(Base):
    """A network's own wording of an e-mail in one language (else the built-in text is used)."""

    __tablename__ = "mail_texts"
    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(ForeignKey("networks.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    __table_args__ = (
        UniqueConstraint("network_id", "kind", "language", name="uq_mail_texts_network_kind_language"),
    )


class AttemptCounter(Base):
    """Sign-in and invitation-code attempts counted per key (a client address, an e-mail's or a
    code's hash), so that guessing is throttled. Every change is one atomic statement."""

    __tablename__ = "attempt_counters"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
