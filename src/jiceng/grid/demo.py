"""The grid's part of `jiceng demo` (filled in below)."""
