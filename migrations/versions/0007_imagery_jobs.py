"""Background jobs, imagery and derived geometries (issue 9).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22
"""

from __future__ import annotations

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved in the chain so that parallel work lands in a fixed order; the tables arrive with it


def downgrade() -> None:
    pass
