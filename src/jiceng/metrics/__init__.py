"""Indicators (see docs/architecture.md)."""
