"""Hazard deadlines (issue 14): the verification deadline of the bureau whose step it is, a requested
extension of the rectification deadline, and the extension steps in the trail (request, grant, refuse).

Revision ID: 20261202_rules
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261202_rules"
down_revision = "0007"
branch_labels = None
depends_on = None

OLD_ACTIONS = ("report", "assign", "rectify", "county_verify", "city_verify", "province_verify", "reject", "close")
NEW_ACTIONS = (*OLD_ACTIONS, "request_extension", "grant_extension", "refuse_extension")


def _check(values: tuple[str, ...]) -> str:
    return f"action IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.add_column("hazards", sa.Column("verification_deadline", sa.Date(), nullable=True))
    op.add_column("hazards", sa.Column("extension_requested", sa.Date(), nullable=True))
    op.drop_constraint(op.f("ck_hazard_steps_action"), "hazard_steps", type_="check")
    op.create_check_constraint(op.f("ck_hazard_steps_action"), "hazard_steps", _check(NEW_ACTIONS))


def downgrade() -> None:
    op.execute(
        "DELETE FROM hazard_steps WHERE action IN ('request_extension', 'grant_extension', 'refuse_extension')"
    )
    op.drop_constraint(op.f("ck_hazard_steps_action"), "hazard_steps", type_="check")
    op.create_check_constraint(op.f("ck_hazard_steps_action"), "hazard_steps", _check(OLD_ACTIONS))
    op.drop_column("hazards", "extension_requested")
    op.drop_column("hazards", "verification_deadline")
