"""Checklists, inspections, hazards and their verification (issue 5).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved in the chain so that parallel work lands in a fixed order; the tables arrive with it


def downgrade() -> None:
    pass
