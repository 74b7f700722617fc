"""The self-hosted Noto Sans SC web font, made usable by WeasyPrint for one document at a time.

The vendored font (static/vendor/noto-sans-sc) is ~100 woff2 subsets per
weight, each covering a `unicode-range`. Handing WeasyPrint the whole CSS
makes it decompress every subset for every PDF (about a minute of pure-Python
woff2 decoding), so instead:

- only the subsets that cover a character of the document are declared;
- each subset is decompressed to TrueType once and kept under
  DATA_DIR/cache/fonts (the woff2 files stay the single source; the cache is
  rebuilt from them whenever it is missing or older than the woff2).

WeasyPrint then embeds a subset of those faces in the PDF (as /FontFile2).
Each subset is declared under a family name of its own (see font_face_css).
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

FAMILY = "Noto Sans SC"
FONT_DIR = Path(settings.BASE_DIR) / "static" / "vendor" / "noto-sans-sc"

_RULE = re.compile(r"@font-face\s*{([^}]*)}")
_WEIGHT = re.compile(r"font-weight:\s*(\d+)")
_SRC = re.compile(r"url\(\./files/([^)]+\.woff2)\)")
_RANGE = re.compile(r"unicode-range:\s*([^;]+);")


@dataclass(frozen=True)
class Face:
    """One woff2 subset of the vendored CSS: its weight, file and unicode-range text."""

    weight: int
    file: str
    ranges: str


@cache
def _faces() -> tuple[list[Face], dict[tuple[int, int], int]]:
    """The faces of the vendored CSS, and (weight, code point) -> face index."""
    css = (FONT_DIR / "noto-sans-sc.css").read_text(encoding="utf-8")
    faces: list[Face] = []
    lookup: dict[tuple[int, int], int] = {}
    for body in _RULE.findall(css):
        weight, src, ranges = _WEIGHT.search(body), _SRC.search(body), _RANGE.search(body)
        if not (weight and src and ranges):
            continue
        face = Face(int(weight.group(1)), src.group(1), ranges.group(1).strip())
        index = len(faces)
        faces.append(face)
        for part in face.ranges.split(","):
            low, _, high = part.strip().removeprefix("U+").removeprefix("u+").partition("-")
            for point in range(int(low, 16), int(high or low, 16) + 1):
                lookup.setdefault((face.weight, point), index)
    return faces, lookup


def faces_for(text: str, weight: int = 400) -> list[Face]:
    """The subsets of `weight` needed to draw every character of `text` that the font has."""
    faces, lookup = _faces()
    wanted = {lookup.get((weight, ord(ch))) for ch in set(text)}
    wanted.discard(None)
    return [faces[i] for i in sorted(wanted)]


def cache_dir() -> Path:
    return (Path(settings.DATA_DIR) / "cache" / "fonts").resolve()


def truetype_of(face: Face) -> Path:
    """The face as a TrueType file, decompressed from its woff2 on first use."""
    from fontTools.ttLib import woff2

    source = FONT_DIR / "files" / face.file
    target = cache_dir() / (Path(face.file).stem + ".ttf")
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed, so a concurrent request never reads half a file.
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out, source.open("rb") as woff:
            woff2.decompress(woff, out)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


def family_of(face: Face) -> str:
    """A family name of its own for each subset (the regular and bold files of one subset share it)."""
    return f"{FAMILY} {Path(face.file).stem.split('-')[3]}"


def font_face_css(text: str, bold_text: str = "") -> tuple[str, str]:
    """(@font-face rules with file:// TrueType URLs, the font-family list) for a document's characters.

    Every subset is declared as a family of its own and the document names them
    all in its font-family list: WeasyPrint keys embedded fonts by family,
    weight and style, so subsets sharing one family would be merged into one
    embedded font and draw the wrong glyphs.
    """
    rules, families = [], []
    for weight, chars in ((400, text), (700, bold_text)):
        for face in faces_for(chars, weight):
            family = family_of(face)
            if family not in families:
                families.append(family)
            url = truetype_of(face).as_uri()
            rules.append(
                f"@font-face {{ font-family: '{family}'; font-style: normal; font-weight: {weight}; "
                f"src: url('{url}') format('truetype'); unicode-range: {face.ranges}; }}"
            )
    return "\n".join(rules), ", ".join(f"'{f}'" for f in families) or f"'{FAMILY}'"
