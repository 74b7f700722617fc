"""Checks an uploaded spreadsheet before anything opens it: size, zip structure, zip bomb.

An xlsx is a zip archive. A hostile one can declare small sizes and inflate
to gigabytes, or hold millions of entries; the spreadsheet reader would
happily try. So the archive is inspected first: its file size, its entry
count, the uncompressed sizes its directory declares, and then the sizes it
really inflates to (streamed, stopping at the limit), and it must look like a
workbook ([Content_Types].xml and xl/workbook.xml).

Limits come from settings when set there (IMPORT_MAX_UPLOAD_BYTES,
IMPORT_MAX_UNCOMPRESSED_BYTES, IMPORT_MAX_ZIP_ENTRIES), else the defaults below.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 30 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_ZIP_ENTRIES = 2000
_CHUNK = 1024 * 1024


class UploadRejected(Exception):
    """The file is refused before it is opened as a spreadsheet; the message says why."""


def limit(name: str) -> int:
    return int(getattr(settings, f"IMPORT_{name}", globals()[name]))


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MiB"


def check_xlsx(path: str | Path) -> None:
    """Raise UploadRejected unless the file is a plausible, bounded xlsx workbook."""
    path = Path(path)
    size = path.stat().st_size
    if size > limit("MAX_UPLOAD_BYTES"):
        raise UploadRejected(
            _("The file is too large (%(size)s; the limit is %(limit)s).")
            % {"size": _mib(size), "limit": _mib(limit("MAX_UPLOAD_BYTES"))}
        )
    if size == 0 or not zipfile.is_zipfile(path):
        raise UploadRejected(_("This is not an xlsx file (Excel 2007 or later). Save it as .xlsx and try again."))
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > limit("MAX_ZIP_ENTRIES"):
                raise UploadRejected(
                    _("The file holds too many parts (%(count)d); it is not an ordinary workbook.")
                    % {"count": len(entries)}
                )
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise UploadRejected(
                    _("This is not an xlsx file (Excel 2007 or later). Save it as .xlsx and try again.")
                )
            ceiling = limit("MAX_UNCOMPRESSED_BYTES")
            if sum(entry.file_size for entry in entries) > ceiling:
                raise UploadRejected(_("The file unpacks to more than %(limit)s.") % {"limit": _mib(ceiling)})
            # The declared sizes may lie: inflate for real, and stop at the limit.
            inflated = 0
            for entry in entries:
                with archive.open(entry) as member:
                    while chunk := member.read(_CHUNK):
                        inflated += len(chunk)
                        if inflated > ceiling:
                            raise UploadRejected(
                                _("The file unpacks to more than %(limit)s.") % {"limit": _mib(ceiling)}
                            )
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        raise UploadRejected(_("The file is damaged and cannot be read as an xlsx workbook.")) from None
