"""Ratings and rectification (see docs/architecture.md)."""
