"""All evidence of a submission as one zip, arranged by item.

One folder per item ("2.2 视觉形象识别/"), the files under their uploaded
names (made safe for every unzip tool, numbered when two collide), and a
清单.csv listing item, file, type, size, SHA-256, uploader and time. Every file
is hashed again while it is copied: one whose content no longer matches the
SHA-256 recorded at upload is still included, and the list says so.

The zip is written to a spooled temporary file (in memory up to 8 MB, then on
disk), so a submission with many photos does not have to fit in memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
import zipfile
from dataclasses import dataclass

from django.utils import timezone

from .. import schemes
from ..models import Evidence, Submission

MANIFEST = "清单.csv"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
SPOOL_BYTES = 8 * 1024 * 1024


def safe_name(text: str, limit: int = 80) -> str:
    """A path component without separators, control characters or characters Windows refuses."""
    cleaned = _UNSAFE.sub("_", text).strip(" .") or "_"
    return cleaned[:limit]


def item_folder(cs, item_id: str) -> str:
    item = cs.items[cs.index[item_id]] if item_id in cs.index else None
    label = (item.title or item.text or "") if item is not None else ""
    return safe_name(f"{item_id} {label[:24]}".strip())


@dataclass
class Entry:
    evidence: Evidence
    path: str
    sha256: str
    matches: bool


def _unique(path: str, used: set[str]) -> str:
    if path not in used:
        used.add(path)
        return path
    stem, dot, ext = path.rpartition(".")
    if not dot:
        stem, ext = path, ""
    n = 2
    while True:
        candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
        if candidate not in used:
            used.add(candidate)
            return candidate
        n += 1


def write_zip(sub: Submission, stream) -> list[Entry]:
    """Write the submission's evidence zip to `stream`; returns what went in."""
    cs = schemes.campaign_scheme(sub.campaign)
    order = {item_id: i for i, item_id in enumerate(cs.ids)}
    files = sorted(sub.evidence.all(), key=lambda e: (order.get(e.item_id, len(order)), e.uploaded_at, e.pk))
    used: set[str] = set()
    entries: list[Entry] = []
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for evidence in files:
            path = _unique(f"{item_folder(cs, evidence.item_id)}/{safe_name(evidence.original_name, 120)}", used)
            digest = hashlib.sha256()
            info = zipfile.ZipInfo(path, date_time=timezone.localtime(evidence.uploaded_at).timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            with evidence.file.open("rb") as source, archive.open(info, "w") as target:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    digest.update(chunk)
                    target.write(chunk)
            entries.append(Entry(evidence, path, digest.hexdigest(), digest.hexdigest() == evidence.sha256))
        archive.writestr(MANIFEST, _manifest(entries))
    return entries


def _manifest(entries: list[Entry]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["项目", "文件", "原文件名", "类型", "大小（字节）", "SHA-256", "上传人", "上传时间", "校验"])
    for e in entries:
        ev = e.evidence
        writer.writerow([ev.item_id, e.path, ev.original_name, ev.content_type, ev.size, ev.sha256,
                         ev.uploaded_by_name, f"{timezone.localtime(ev.uploaded_at):%Y-%m-%d %H:%M:%S}",
                         "一致" if e.matches else f"不一致（现为 {e.sha256}）"])
    # With a byte-order mark, so Excel opens the Chinese text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def evidence_zip(sub: Submission):
    """(spooled file positioned at 0, entries) for a download."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    entries = write_zip(sub, spool)
    spool.seek(0)
    return spool, entries


def file_name(sub: Submission) -> str:
    return f"佐证材料-{sub.unit.name}.zip"
