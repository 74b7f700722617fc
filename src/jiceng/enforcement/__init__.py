"""Enforcement (see docs/architecture.md)."""
