"""Import batches may end `refused` (the file held errors: nothing can be committed) or `expired` (staged and
left undecided past the configured time), so that neither stays offered as work (issue 19 item 6).

Revision ID: 20261202_harden_auth
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "20261202_harden_auth"
down_revision = "20261202_rules"
branch_labels = None
depends_on = None

NEW = "state IN ('staged', 'committed', 'discarded', 'refused', 'expired')"
OLD = "state IN ('staged', 'committed', 'discarded')"


def _state_check(condition: str) -> None:
    op.execute("ALTER TABLE import_batches DROP CONSTRAINT ck_import_batches_state")
    op.execute(f"ALTER TABLE import_batches ADD CONSTRAINT ck_import_batches_state CHECK ({condition})")


def upgrade() -> None:
    _state_check(NEW)
    # batches staged before this revision that can never be committed are refused now
    op.execute("""UPDATE import_batches b SET state = 'refused' WHERE state = 'staged' AND (
                    jsonb_path_exists(problems, '$[*] ? (@.severity == "error")')
                    OR EXISTS (SELECT 1 FROM import_rows r WHERE r.batch_id = b.id AND r.action = 'error'))""")


def downgrade() -> None:
    op.execute("UPDATE import_batches SET state = 'discarded' WHERE state IN ('refused', 'expired')")
    _state_check(OLD)
