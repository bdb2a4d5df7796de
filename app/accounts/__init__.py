"""Organisations, users, sign-in, scopes and who may do what."""
