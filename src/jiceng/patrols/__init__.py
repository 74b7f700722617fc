"""Patrols (see docs/architecture.md)."""
