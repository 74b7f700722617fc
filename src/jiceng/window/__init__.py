"""Service window (see docs/architecture.md)."""
