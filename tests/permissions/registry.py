"""Every app's matrix, collected: each `matrix_<app>.py` of this package exports `ROUTES` (and `PUBLIC_PATTERNS`).

A new app adds its own `matrix_<app>.py`; nothing here changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

MODULES = [
    importlib.import_module(f"{__package__}.{info.name}")
    for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda i: i.name)
    if info.name.startswith("matrix_")
]

ENTRIES = [entry for module in MODULES for entry in module.ROUTES]
# Routes that are deliberately outside the matrix's five cases (log-in, static, health, i18n, API docs),
# by URL name (web) or OpenAPI key: each says why.
PUBLIC_PATTERNS: dict[str, str] = {
    name: why for module in MODULES for name, why in getattr(module, "PUBLIC_PATTERNS", {}).items()
}
