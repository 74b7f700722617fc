"""The self-hosted font made usable by WeasyPrint: subset choice, the TrueType cache, the closed URL fetcher."""

from __future__ import annotations

import pytest

from jiceng.assessments.outputs import fonts, pdf


@pytest.fixture(autouse=True)
def _cache(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def test_only_the_subsets_covering_the_text_are_chosen():
    one = fonts.faces_for("申报表")
    assert 1 <= len(one) <= 3 and all(face.weight == 400 for face in one)
    assert fonts.faces_for("") == []
    bold = fonts.faces_for("申报表", 700)
    assert [fonts.family_of(f) for f in bold] == [fonts.family_of(f) for f in one]


def test_each_subset_is_decompressed_once_into_the_cache(tmp_path):
    face = fonts.faces_for("盖")[0]
    path = fonts.truetype_of(face)
    assert path.parent == tmp_path / "cache" / "fonts" and path.read_bytes()[:4] == b"\x00\x01\x00\x00"
    stamp = path.stat().st_mtime_ns
    assert fonts.truetype_of(face) == path and path.stat().st_mtime_ns == stamp


def test_every_subset_gets_a_family_of_its_own():
    css, families = fonts.font_face_css("申报表（盖章）", "基层所名称")
    declared = css.count("@font-face")
    assert declared >= 2 and families.count("'") == 2 * len(set(families.split(", ")))
    assert "file://" in css and ".woff2" not in css


def test_the_renderer_fetches_no_url_but_the_cached_fonts(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    fetcher = pdf._fetcher()
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(secret.as_uri())
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch("http://127.0.0.1/")
    html = f'<html><head><style>body {{ font-family: \'Noto Sans SC\'; }}</style></head><body><img src="{secret.as_uri()}">申报</body></html>'
    assert pdf.html_to_pdf(html).startswith(b"%PDF-")
