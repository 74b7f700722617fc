"""The zh-hans catalogue is complete and faithful, and the site speaks Chinese first (issue 3).

The completeness check re-extracts the message ids from a copy of the current
sources (so a template or view added after the last `tools/i18n-update.sh`
makes it fail) and compares them with the committed catalogue.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

import jiceng

SRC = Path(jiceng.__file__).resolve().parent
LOCALE = SRC / "locale"
PO_PATH = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# Kept in step with tools/i18n-update.sh: the rubric engine is pure Python whose
# texts are Chinese transcriptions of the seeds, and static/ holds no messages.
IGNORED = ("rubrics", "static")

# A printf conversion as Python's % operator reads it: %(name)s, %d, %%, %5.1f ...
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")
NAMED = re.compile(r"%\(([^)]*)\)")


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _committed() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _live_entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> polib.POFile:
    """The catalogue that makemessages makes today from a copy of the sources."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("GNU gettext (xgettext, msgmerge) is not installed")
    work = tmp_path_factory.mktemp("extract") / "jiceng"
    shutil.copytree(
        SRC, work, ignore=shutil.ignore_patterns("locale", *IGNORED, "__pycache__", "*.pyc", "*.po", "*.mo")
    )
    (work / "locale").mkdir()
    # LOCALE_PATHS is pointed at the copy so the committed catalogue is never touched.
    with override_settings(LOCALE_PATHS=[work / "locale"]):
        with pytest.MonkeyPatch.context() as mp:
            mp.chdir(work)
            call_command(
                "makemessages",
                locale=["zh_Hans"],
                ignore_patterns=[f"{name}/*" for name in IGNORED],
                no_obsolete=True,
                add_location="file",
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
    return polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))


def test_extraction_found_the_known_messages(extracted):
    # Guards the guard: an extraction that finds nothing would pass every check below.
    msgids = {e.msgid for e in extracted}
    assert {"Log in", "City bureau administrator", "Audit trail", "%(n)s person"} <= msgids
    assert len(msgids) > 100


def test_every_message_of_the_sources_is_translated(extracted):
    committed = {_key(e): e for e in _live_entries(_committed())}
    problems = []
    for entry in extracted:
        mine = committed.get(_key(entry))
        if mine is None:
            problems.append(f"missing from the catalogue: {entry.msgid!r}")
        elif mine.fuzzy:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif mine.msgid_plural != entry.msgid_plural:
            problems.append(f"plural form changed: {entry.msgid!r}")
        elif not all(t.strip() for t in _translations(mine)):
            problems.append(f"untranslated: {entry.msgid!r}")
    assert not problems, "run tools/i18n-update.sh and translate:\n" + "\n".join(problems)


def test_catalogue_header_is_simplified_chinese_with_one_plural_form():
    po = _committed()
    assert po.metadata["Language"] == "zh_Hans"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"
    assert not po.metadata_is_fuzzy
    for entry in _live_entries(po):
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0], entry.msgid


def test_translations_keep_the_placeholders():
    problems = []
    for entry in _live_entries(_committed()):
        python_format = "python-format" in entry.flags
        if entry.msgid_plural:
            # One Chinese form serves both English ones: it may drop the count,
            # but may bring in no placeholder the English forms lack.
            allowed = set(NAMED.findall(entry.msgid)) | set(NAMED.findall(entry.msgid_plural))
            problems += [
                (entry.msgid, t) for t in _translations(entry) if not set(NAMED.findall(t)) <= allowed
            ]
            continue
        if not entry.msgstr:
            continue
        if sorted(NAMED.findall(entry.msgstr)) != sorted(NAMED.findall(entry.msgid)):
            problems.append((entry.msgid, entry.msgstr))
        # The full conversion list (with %%) only where xgettext saw python-format:
        # elsewhere a plain "46%" is text, not a conversion.
        if python_format and sorted(PLACEHOLDER.findall(entry.msgstr)) != sorted(
            PLACEHOLDER.findall(entry.msgid)
        ):
            problems.append((entry.msgid, entry.msgstr))
        if not python_format and PLACEHOLDER.search(entry.msgstr) and not PLACEHOLDER.search(entry.msgid):
            problems.append((entry.msgid, entry.msgstr))
    assert not problems


def test_placeholder_check_would_notice_a_lost_placeholder():
    assert sorted(PLACEHOLDER.findall("At least %(share)s%% of staff")) == ["%%", "%(share)s"]
    assert sorted(PLACEHOLDER.findall("不低于人员总数的%(share)s")) != sorted(
        PLACEHOLDER.findall("At least %(share)s%% of staff")
    )


def test_compiled_catalogue_matches_the_po():
    po = _committed()
    expected = {}
    for entry in _live_entries(po):
        if entry.fuzzy or not all(_translations(entry)):
            continue  # msgfmt leaves these out of the .mo
        expected[_key(entry)] = _translations(entry)
    mo = polib.mofile(str(MO_PATH))
    compiled = {_key(e): _translations(e) for e in mo if e.msgid}
    differing = sorted(
        repr(key[1]) for key in compiled.keys() | expected.keys() if compiled.get(key) != expected.get(key)
    )
    assert not differing, "the .mo is stale, run tools/i18n-update.sh:\n" + "\n".join(differing)


@pytest.mark.django_db
def test_log_in_page_is_chinese_by_default(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "Log in" not in html


@pytest.mark.django_db
def test_a_chinese_browser_gets_chinese(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_the_user_switches(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html


@pytest.mark.django_db
def test_english_is_available_through_the_language_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html
    assert "登录" not in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert "登录" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_menu_of_a_signed_in_user_is_chinese(users, client_for):
    html = client_for(users["city_admin"]).get("/accounts/password/").content.decode()
    for label in ("首页", "单位", "人员", "退出登录"):
        assert label in html
    assert "Log out" not in html


def test_role_and_unit_labels_come_out_chinese():
    from jiceng.core.capabilities import Role
    from jiceng.org.models import EmploymentType, OfficeType, UnitKind

    with translation.override("zh-hans"):
        roles = {role: str(role.label) for role in Role}
        assert roles[Role.CITY_ADMIN] == "市局管理员"
        assert roles[Role.COUNTY_REVIEWER] == "县局审核员"
        assert roles[Role.OFFICE_HEAD] == "所长"
        assert roles[Role.SYSTEM_ADMIN] == "系统管理员"
        assert roles[Role.SECURITY_ADMIN] == "安全管理员"
        assert roles[Role.AUDIT_ADMIN] == "审计管理员"
        assert str(UnitKind.OFFICE.label) == "基层所"
        assert str(UnitKind.CITY.label) == "市局"
        assert str(OfficeType.CENTRAL.label) == "中心所"
        assert str(OfficeType.TOWNSHIP.label) == "乡镇所"
        assert str(EmploymentType.ON_ESTABLISHMENT.label) == "在编在岗"
        # No role or unit kind is left in English.
        for label in [*roles.values(), *(str(k.label) for k in UnitKind)]:
            assert not re.search(r"[A-Za-z]", label), label
    with translation.override("en"):
        assert str(Role.CITY_ADMIN.label) == "City bureau administrator"


def test_plural_message_uses_the_single_chinese_form():
    with translation.override("zh-hans"):
        assert translation.ngettext("%(n)s person", "%(n)s people", 1) % {"n": 1} == "1人"
        assert translation.ngettext("%(n)s person", "%(n)s people", 7) % {"n": 7} == "7人"
