"""Enterprises and their tailings ponds."""
