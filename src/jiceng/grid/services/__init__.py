"""Grid writes: one function per use case, each in one transaction with its audit record."""
