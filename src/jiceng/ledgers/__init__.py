"""Office ledgers (see docs/architecture.md)."""
