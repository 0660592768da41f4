"""posting skills found by the skill-intelligence linker

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 15:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONSTRAINT = "ck_posting_skills_skill_match"


def upgrade() -> None:
    with op.batch_alter_table("posting_skills", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(
            op.f(CONSTRAINT), "matched_by IN ('listed', 'label', 'model')"
        )


def downgrade() -> None:
    op.execute("DELETE FROM posting_skills WHERE matched_by = 'model'")
    with op.batch_alter_table("posting_skills", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CONSTRAINT), type_="check")
        batch_op.create_check_constraint(op.f(CONSTRAINT), "matched_by IN ('listed', 'label')")
