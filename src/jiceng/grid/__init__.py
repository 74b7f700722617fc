"""Grid work (see docs/architecture.md)."""
