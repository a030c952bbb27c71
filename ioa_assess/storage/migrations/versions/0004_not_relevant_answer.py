"""a separate "not relevant" answer

From questionnaire v2 on, "don't know" (0) and "not relevant" (-1) are two answers; a v1 round
keeps its stored 0 as the combined "don't know / not relevant". Only the check on the stored value
changes; no row is touched.

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-30 14:20:00
"""

from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("responses") as batch_op:
        batch_op.drop_constraint(op.f("ck_responses_level"), type_="check")
        batch_op.create_check_constraint("level", "level IS NULL OR (level >= -1 AND level <= 5)")


def downgrade() -> None:
    # A "not relevant" answer has no place in the old schema: it becomes "don't know / not relevant".
    op.execute("UPDATE responses SET level = 0 WHERE level = -1")
    with op.batch_alter_table("responses") as batch_op:
        batch_op.drop_constraint(op.f("ck_responses_level"), type_="check")
        batch_op.create_check_constraint("level", "level IS NULL OR (level >= 0 AND level <= 5)")
