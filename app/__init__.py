"""Tailings One Map web service."""
