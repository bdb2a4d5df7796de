"""The append-only audit log and the per-pond history read from it."""
