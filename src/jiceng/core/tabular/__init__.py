"""The one spreadsheet mechanism: declared columns, all-or-nothing imports, safe exports.

Ledgers declare an `Importer` subclass (columns, natural key, scope look-ups)
and export through `export_response`; see docs/import-export.md.
"""

from .columns import Column, bool_column, date_column, enum_column
from .importer import Importer, ImportResult, RowError
from .upload import UploadRejected, check_xlsx

__all__ = [
    "Column",
    "Importer",
    "ImportResult",
    "RowError",
    "UploadRejected",
    "bool_column",
    "check_xlsx",
    "date_column",
    "enum_column",
]
