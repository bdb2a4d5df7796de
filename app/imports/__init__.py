"""Uploads of facility coordinates: read, validate, stage, preview, commit in one transaction, review."""
