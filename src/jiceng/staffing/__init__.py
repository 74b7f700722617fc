"""Posts and window staff (see docs/architecture.md)."""
