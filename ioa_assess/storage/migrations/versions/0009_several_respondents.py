"""several respondents per body: each person's own answer set, agreed answers, evidence

Today's answers become one respondent's answer set and stay as the body's agreed answers
(agreement "single"), so every result stays as it was. The set goes to the person who submitted
the assessment, else the one who gave most of its answers; answers nobody can be traced to (their
person was removed) stay as the body's answers only.

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-30 17:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None

EVIDENCE = "evidence IN ('self', 'documented', 'verified')"
LEVEL = "level IS NULL OR (level >= -1 AND level <= 5)"


def upgrade() -> None:
    # A plain ADD COLUMN, never a batch copy: SQLite would empty the old table on the copy's drop,
    # and its ON DELETE SET NULL would cut every answer and submit off from its person.
    op.add_column(
        "respondents", sa.Column("named_to_colleagues", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    with op.batch_alter_table("responses") as batch_op:
        batch_op.add_column(sa.Column("agreement", sa.String(10), nullable=False, server_default="single"))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("evidence", sa.String(12), nullable=False, server_default="self"))
        batch_op.add_column(sa.Column("evidence_ref", sa.String(300), nullable=False, server_default=""))
        batch_op.create_check_constraint("agreement", "agreement IN ('single', 'agreed')")
        batch_op.create_check_constraint("evidence", EVIDENCE)
    with op.batch_alter_table("assessment_scores") as batch_op:  # snapshot_scores has no such check
        batch_op.drop_constraint(op.f("ck_assessment_scores_kind"), type_="check")
        batch_op.create_check_constraint("kind", "kind IN ('question', 'dimension', 'overall', 'spread')")
    op.create_table(
        "answer_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("respondent_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_answer_sets_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["respondent_id"],
            ["respondents.id"],
            name=op.f("fk_answer_sets_respondent_id_respondents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_sets")),
        sa.UniqueConstraint("assessment_id", "respondent_id", name="uq_answer_sets_assessment_respondent"),
    )
    op.create_index(op.f("ix_answer_sets_respondent_id"), "answer_sets", ["respondent_id"])
    op.create_table(
        "personal_answers",
        sa.Column("answer_set_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(20), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("evidence", sa.String(12), nullable=False),
        sa.Column("evidence_ref", sa.String(300), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(LEVEL, name=op.f("ck_personal_answers_level")),
        sa.CheckConstraint(EVIDENCE, name=op.f("ck_personal_answers_evidence")),
        sa.ForeignKeyConstraint(
            ["answer_set_id"],
            ["answer_sets.id"],
            name=op.f("fk_personal_answers_answer_set_id_answer_sets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("answer_set_id", "question_id", name=op.f("pk_personal_answers")),
    )
    _move_answers_into_sets()


def _move_answers_into_sets() -> None:
    """Each assessment's answers become the set of one person: its submitter, else the person who
    gave most of them (the lowest respondent id on a tie, so the result does not depend on order)."""
    op.execute(
        """
        INSERT INTO answer_sets (assessment_id, respondent_id, created_at, done_at)
        SELECT id, person, started_at, submitted_at
          FROM (SELECT a.id, a.started_at, a.submitted_at,
                       COALESCE(
                           a.submitted_by,
                           (SELECT r.respondent_id FROM responses r
                             WHERE r.assessment_id = a.id AND r.respondent_id IS NOT NULL
                             GROUP BY r.respondent_id
                             ORDER BY COUNT(*) DESC, r.respondent_id
                             LIMIT 1)
                       ) AS person
                  FROM assessments a) chosen
         WHERE person IS NOT NULL
        """
    )
    op.execute(
        """
        INSERT INTO personal_answers
               (answer_set_id, question_id, level, comment, evidence, evidence_ref, updated_at)
        SELECT s.id, r.question_id, r.level, r.comment, 'self', '', r.updated_at
          FROM responses r
          JOIN answer_sets s ON s.assessment_id = r.assessment_id
        """
    )


def downgrade() -> None:
    op.drop_table("personal_answers")
    op.drop_index(op.f("ix_answer_sets_respondent_id"), table_name="answer_sets")
    op.drop_table("answer_sets")
    op.execute("DELETE FROM assessment_scores WHERE kind = 'spread'")
    op.execute("DELETE FROM snapshot_scores WHERE kind = 'spread'")
    with op.batch_alter_table("assessment_scores") as batch_op:
        batch_op.drop_constraint(op.f("ck_assessment_scores_kind"), type_="check")
        batch_op.create_check_constraint("kind", "kind IN ('question', 'dimension', 'overall')")
    with op.batch_alter_table("responses") as batch_op:
        batch_op.drop_constraint(op.f("ck_responses_agreement"), type_="check")
        batch_op.drop_constraint(op.f("ck_responses_evidence"), type_="check")
        batch_op.drop_column("evidence_ref")
        batch_op.drop_column("evidence")
        batch_op.drop_column("reason")
        batch_op.drop_column("agreement")
    op.drop_column("respondents", "named_to_colleagues")  # SQLite 3.35+ drops a column in place
