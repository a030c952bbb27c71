"""stored scores and published snapshots

Revision ID: 0005
Revises: 0003
Create Date: 2026-11-30 14:40:00.000000

Scores of submitted assessments are stored, and already submitted assessments get theirs here.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessment_scores",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("item_id", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.Column("scored", sa.SmallInteger(), nullable=False),
        sa.Column("not_relevant", sa.SmallInteger(), nullable=False),
        sa.Column("total", sa.SmallInteger(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('question', 'dimension', 'overall')", name=op.f("ck_assessment_scores_kind")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_scores_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "kind", "item_id", name=op.f("pk_assessment_scores")),
    )
    op.create_table(
        "published_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("bodies", sa.Integer(), nullable=False),
        sa.Column("final", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_published_snapshots_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_snapshots")),
        sa.UniqueConstraint("round_id", "sequence", name="uq_published_snapshots_round_sequence"),
    )
    op.create_table(
        "snapshot_bodies",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_snapshot_bodies_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_snapshot_bodies_body_id_bodies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["published_snapshots.id"],
            name=op.f("fk_snapshot_bodies_snapshot_id_published_snapshots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "body_id", name=op.f("pk_snapshot_bodies")),
    )
    op.create_index(
        op.f("ix_snapshot_bodies_assessment_id"), "snapshot_bodies", ["assessment_id"], unique=False
    )
    op.create_table(
        "snapshot_scores",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("item_id", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Double(), nullable=True),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_snapshot_scores_body_id_bodies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["published_snapshots.id"],
            name=op.f("fk_snapshot_scores_snapshot_id_published_snapshots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("snapshot_id", "body_id", "kind", "item_id", name=op.f("pk_snapshot_scores")),
    )
    op.create_index("ix_assessments_round_updated", "assessments", ["round_id", "updated_at"], unique=False)
    _backfill_scores()


def _backfill_scores() -> None:
    """Store the scores of every assessment submitted before scores were stored."""
    from ioa_assess.services.stored_scores import store_missing_scores

    store_missing_scores(op.get_bind(), spreads=False)  # people's own answers come with 0009


def downgrade() -> None:
    op.drop_index("ix_assessments_round_updated", table_name="assessments")
    op.drop_table("snapshot_scores")
    op.drop_index(op.f("ix_snapshot_bodies_assessment_id"), table_name="snapshot_bodies")
    op.drop_table("snapshot_bodies")
    op.drop_table("published_snapshots")
    op.drop_table("assessment_scores")
