"""Upload staging, import batches and element review (issue 4).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved in the chain so that parallel work lands in a fixed order; the tables arrive with it


def downgrade() -> None:
    pass
