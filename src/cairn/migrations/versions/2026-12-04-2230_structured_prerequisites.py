"""structured prerequisites, and one credit lot per grant and account

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "specification_prerequisites",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("clause", sa.Integer(), nullable=False),
        sa.Column("specification_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "clause >= 0", name=op.f("ck_specification_prerequisites_clause_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["specification_id"],
            ["specifications.id"],
            name=op.f("fk_specification_prerequisites_specification_id_specifications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["specification_versions.id"],
            name=op.f("fk_specification_prerequisites_version_id_specification_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_specification_prerequisites")),
        sa.UniqueConstraint(
            "version_id",
            "clause",
            "specification_id",
            name=op.f("uq_specification_prerequisites_version_id_clause_specification_id"),
        ),
    )
    with op.batch_alter_table("specification_prerequisites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_specification_prerequisites_specification_id"),
            ["specification_id"],
            unique=False,
        )

    # A grant posts once per account (its transfer's idempotency key already says so); the
    # database now says it too. SQLite rebuilds the table to add the constraint.
    with op.batch_alter_table("credit_lots", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_credit_lots_account_id_grant_key"), ["account_id", "grant_key"]
        )


def downgrade() -> None:
    with op.batch_alter_table("credit_lots", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_credit_lots_account_id_grant_key"), type_="unique")

    with op.batch_alter_table("specification_prerequisites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_specification_prerequisites_specification_id"))

    op.drop_table("specification_prerequisites")
