"""Pond records, ledger, documents and monitoring data (issue 6).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from __future__ import annotations

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # reserved in the chain so that parallel work lands in a fixed order; the tables arrive with it


def downgrade() -> None:
    pass
