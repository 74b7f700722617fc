"""Apps register themselves (core.registry): API routers, inbox sources and reminder actions, daily tasks,
menu entries; and the role matrix page of the security administrator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django_tasks import task

from jiceng.core import capabilities, registry

# --- registration order -------------------------------------------------------------------------------


@pytest.fixture
def saved_registry():
    saved = registry.snapshot()
    yield
    registry.restore(saved)


def test_registrations_come_back_in_installed_apps_order_whatever_order_they_were_made(saved_registry):
    labels = [config.label for config in apps.get_app_configs()]
    assert labels.index("core") < labels.index("org") < labels.index("assessments")
    registry.api_router("core", "jiceng.core.api.router")  # registered last, by the first app
    registry.nav("assessments", "B", "home", order=5)
    registry.nav("core", "A", "home", order=5)
    assert [r.app for r in registry.api_routers()] == ["core", "org", "assessments"]
    # Menu entries: by order, then INSTALLED_APPS order.
    same_order = [e.label for e in registry.nav_entries() if e.order == 5]
    assert same_order == ["A", "B"]
    # Registering again is harmless: no duplicate.
    registry.api_router("org", "jiceng.org.api.router")
    assert [r.path for r in registry.api_routers()].count("jiceng.org.api.router") == 1


def test_a_daily_task_needs_a_time_of_day_and_one_time_only(saved_registry):
    with pytest.raises(ValueError, match="not a time of day"):
        registry.daily("core", "25:00", "x.y")
    registry.daily("core", "06:30", "x.y")
    with pytest.raises(ValueError, match="another time"):
        registry.daily("core", "06:31", "x.y")


# --- the API: mounted from the registry, schema as before ---------------------------------------------

# The list api/v1.py used to hard-code (API_MODULES) before the apps registered their routers.
FORMER_API_MODULES = ["jiceng.org.api", "jiceng.assessments.api"]

_FORMER_SCHEMA = """
import json, os, sys
from importlib import import_module
import django
django.setup()
from jiceng.core import registry
registry.restore({**registry.snapshot(), "api": []})  # nothing registered: mount by hand as v1 used to
from jiceng.api.v1 import api
for module_name in FORMER_API_MODULES:
    api.add_router("", import_module(module_name).router)
sys.stdout.write(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), ensure_ascii=False, indent=1))
""".replace("FORMER_API_MODULES", repr(FORMER_API_MODULES))


def test_the_api_mounts_the_registered_routers_in_order():
    from jiceng.api.v1 import api

    registered = registry.api_routers()
    assert [entry.path for entry in registered] == [f"{m}.router" for m in FORMER_API_MODULES]
    mounted = [router for _prefix, router in api._routers if router is not api.default_router]
    assert mounted == [entry.load() for entry in registered]


def test_the_openapi_schema_is_byte_identical_to_the_one_mounted_from_the_former_module_list(tmp_path):
    from jiceng.api.v1 import api

    now = json.dumps(api.get_openapi_schema(path_prefix="/api/v1/"), ensure_ascii=False, indent=1)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jiceng.settings", "JICENG_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    former = subprocess.run([sys.executable, "-c", _FORMER_SCHEMA], env=env, capture_output=True, text=True,
                            check=True).stdout
    assert len(former) > 10_000 and '"operationId": "staff_list"' in former
    assert now == former


# --- the inbox ---------------------------------------------------------------------------------------------


def test_the_inbox_reads_the_registered_sources_unless_settings_name_others(settings):
    from jiceng.assessments.outputs.inbox import items_for
    from jiceng.inbox import sources

    assert registry.inbox_sources()[0] == "jiceng.assessments.outputs.inbox.items_for"
    assert "jiceng.enforcement.inbox.items_for" in registry.inbox_sources()
    assert sources.sources()[0] is items_for
    settings.INBOX_SOURCES = []
    assert sources.sources() == []
    settings.INBOX_SOURCES = ["jiceng.assessments.outputs.inbox.items_for"]
    assert sources.sources() == [items_for]


def test_reminders_are_addressed_to_the_registered_capability_constants(region):
    from django.core.exceptions import ValidationError

    from jiceng.assessments import capabilities as assessment
    from jiceng.inbox.selectors import reminder_actions
    from jiceng.inbox.services import ReminderSpec, reminders_create

    # EDIT: the test-only ledger (tests/ledger_app) reminds the holders of EDIT.
    expected = {capabilities.VIEW, assessment.SELF_ASSESS, assessment.REVIEW, assessment.AUDIT_ASSESSMENTS,
                assessment.PUBLISH, capabilities.EDIT}
    # enforcement: its ledgers' reminders and the monthly report's.
    expected |= {"enforcement.remind", "enforcement.report_submit"}
    # ledgers: its ledgers' reminders (petitions, filings, house-building applications).
    expected |= {"ledgers.remind"}
    assert set(reminder_actions()) == expected and len(reminder_actions()) == len(expected)
    # Every action is a declared capability (a typo would be an action nobody holds).
    declared = {capability for _app, capability, _roles in capabilities.matrix()}
    assert set(reminder_actions()) <= declared
    spec = ReminderSpec(kind="deadline", unit_id=region.office_a1.pk, action="assessment.selff", title="t", key="k1")
    with pytest.raises(ValidationError, match="assessment.selff"):
        reminders_create(specs=[spec], source="test")


# --- navigation --------------------------------------------------------------------------------------------

BUSINESS_MENU = [("首页", "/"), ("单位", "/org/units/"), ("人员", "/org/staff/"), ("考核", "/assessments/"),
                 ("消息", "/inbox/"), ("逾期台账", "/audit/ledgers/overdue/"), ("我的导出", "/exports/"),
                 ("API令牌", "/accounts/tokens/")]
# The menu of each role as base.html rendered it before the apps registered their entries (the role matrix
# page is new, for the security administrator only).
# enforcement's entry (order 35) for the roles that register clues or work cases.
ENFORCEMENT_MENU = [*BUSINESS_MENU[:4], ("执法监察", "/enforcement/clues/"), *BUSINESS_MENU[4:]]
# patrols' and ledgers' entries (orders 60-62) for every role that views unit data, before 我的导出.
_FIELD = [("动态巡查", "/patrols/"), ("地图", "/patrols/map/"), ("台账", "/ledgers/")]


def _with_field(menu):
    at = [url for _label, url in menu].index("/exports/")
    return [*menu[:at], *_FIELD, *menu[at:]]


BUSINESS_MENU, ENFORCEMENT_MENU = _with_field(BUSINESS_MENU), _with_field(ENFORCEMENT_MENU)
MENUS = {
    "city_admin": BUSINESS_MENU,
    "county_reviewer": ENFORCEMENT_MENU,
    "office_head": ENFORCEMENT_MENU,
    "office_staff": ENFORCEMENT_MENU,
    "window_staff": BUSINESS_MENU,
    "grid_worker": ENFORCEMENT_MENU,
    "other_county_head": ENFORCEMENT_MENU,
    "system_admin": [("首页", "/"), ("账号", "/accounts/users/"), ("API令牌", "/accounts/tokens/")],
    "security_admin": [("首页", "/"), ("角色", "/accounts/roles/"), ("角色权限矩阵", "/accounts/roles/matrix/"),
                       ("API令牌", "/accounts/tokens/")],
    "audit_admin": [("首页", "/"), ("审计日志", "/audit/"), ("我的导出", "/exports/"), ("API令牌", "/accounts/tokens/")],
    "no_role": [("首页", "/"), ("API令牌", "/accounts/tokens/")],
}


def test_each_role_s_menu_is_the_registered_entries_it_may_open(client_for, users):
    assert set(MENUS) == set(users)
    for name, user in users.items():
        response = client_for(user).get(reverse("home"))
        menu = [(str(item["label"]), item["url"]) for item in response.context["nav_items"]]
        assert menu == MENUS[name], name
        html = response.content.decode()
        for _label, url in menu:
            assert f'href="{url}"' in html, (name, url)


def test_the_inbox_entry_counts_the_unread(client_for, users, region):
    from jiceng.inbox.services import ReminderSpec, reminders_create

    reminders_create(specs=[ReminderSpec(kind="deadline", unit_id=region.office_a1.pk, action=capabilities.VIEW,
                                         title="t", key="nav-1")], source="test")
    menu = dict((item["url"], str(item["label"])) for item in
                client_for(users["office_staff"]).get(reverse("home")).context["nav_items"])
    assert menu["/inbox/"] == "消息（1）"


def test_an_anonymous_visitor_has_no_menu(client):
    response = client.get(reverse("accounts:login"))
    assert response.context["nav_items"] == []


# --- the daily runner ----------------------------------------------------------------------------------------

ran: list[str] = []


@task()
def daily_early() -> str:
    ran.append("early")
    return "early"


@task()
def daily_late() -> str:
    ran.append("late")
    return "late"


@task()
def daily_not_yet() -> str:
    ran.append("not yet")
    return "not yet"


def _at(moment: datetime) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(moment):%H:%M}"


@pytest.fixture
def only_test_tasks(saved_registry, settings):
    """Three daily tasks: two whose time passed an hour and two hours ago, one due in an hour."""
    from django.utils import timezone

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    registry.restore({**registry.snapshot(), "daily": []})
    now = timezone.now()
    registry.daily("core", _at(now - timedelta(hours=2)), daily_early.module_path)
    registry.daily("core", _at(now - timedelta(hours=1)), daily_late.module_path)
    registry.daily("core", _at(now + timedelta(hours=1)), daily_not_yet.module_path)
    return now


def _rows(task_obj, status=None):
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path=task_obj.module_path)
    return rows.filter(status=status) if status else rows


@pytest.mark.django_db
def test_the_runner_enqueues_each_due_task_once_a_day_and_itself_once(only_test_tasks):
    from jiceng.core.daily import next_slot, run_daily, run_once, schedule

    now = only_test_tasks
    first = schedule(now=now)
    assert first is not None and first.task.run_after is None  # the tasks never ran: run now

    # A task that never ran is caught up at once (its time yesterday passed unrun), the others too.
    outcome = run_once(now)
    assert [e["task"] for e in outcome["enqueued"]] == [t.module_path for t in (daily_early, daily_late, daily_not_yet)]
    assert [_rows(t).count() for t in (daily_early, daily_late, daily_not_yet)] == [1, 1, 1]
    # run_once was called by hand, so the first run still waits: the runner saw it and added no other.
    assert list(_rows(run_daily, "READY").values_list("id", flat=True)) == [uuid.UUID(first.id)]

    _rows(run_daily).delete()  # as the worker would have finished the first run
    assert not run_once(now)["enqueued"]  # the same day again: nothing twice, and exactly one next run
    assert [_rows(t).count() for t in (daily_early, daily_late, daily_not_yet)] == [1, 1, 1]
    (next_run,) = _rows(run_daily, "READY")
    # The next run is at the next registered time: the third task's, in an hour.
    assert next_run.run_after == next_slot(registry.daily_tasks()[-1].at, now) > now
    assert next_run.run_after == min(next_slot(t.at, now) for t in registry.daily_tasks())
    assert schedule(now=now) is None  # seeding while one waits adds nothing
    assert _rows(run_daily, "READY").count() == 1

    # An hour and a half later the third task's time has passed today: only it is enqueued again.
    later = now + timedelta(hours=1, minutes=30)
    _rows(run_daily).delete()
    assert [e["task"] for e in run_once(later)["enqueued"]] == [daily_not_yet.module_path]
    assert [_rows(t).count() for t in (daily_early, daily_late, daily_not_yet)] == [1, 1, 2]
    assert _rows(run_daily, "READY").count() == 1

    # The next day every task is enqueued once more.
    _rows(run_daily).delete()
    tomorrow = now + timedelta(days=1, hours=1, minutes=30)
    assert len(run_once(tomorrow)["enqueued"]) == 3
    assert [_rows(t).count() for t in (daily_early, daily_late, daily_not_yet)] == [2, 2, 3]
    assert _rows(run_daily, "READY").count() == 1


@pytest.mark.django_db
def test_with_nothing_due_the_runner_waits_for_the_next_time(only_test_tasks):
    from jiceng.core.daily import next_slot, run_daily, run_once, schedule

    now = only_test_tasks
    run_once(now)  # the two past tasks are done for today
    _rows(run_daily).delete()  # the queue was lost
    seeded = schedule(now=now)  # nothing due: not now, but at the third task's time
    assert seeded.task.run_after == next_slot(registry.daily_tasks()[-1].at, now) > now
    assert not run_once(now)["enqueued"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_runner_then_each_task(only_test_tasks, capsys):
    from django.core.management import call_command

    ran.clear()
    call_command("schedule", "--list")  # only prints
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in listed] == [t.module_path for t in (daily_early, daily_late, daily_not_yet)]
    from jiceng.core.daily import run_daily

    assert not _rows(run_daily).exists()
    call_command("schedule")
    out = capsys.readouterr().out
    assert "daily run scheduled" in out and daily_early.module_path in out
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(ran) == ["early", "late", "not yet"]  # each once (none ran before: all are caught up)
    call_command("schedule")  # a run waits for the third task's time: nothing added
    assert "already scheduled" in capsys.readouterr().out
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert sorted(ran) == ["early", "late", "not yet"]


# --- the role matrix page --------------------------------------------------------------------------------


def test_the_security_administrator_sees_the_role_matrix_cell_for_cell(client_for, users):
    import re

    from jiceng.core.capabilities import Role

    response = client_for(users["security_admin"]).get(reverse("accounts:role_matrix"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "角色权限矩阵" in html
    expected = capabilities.matrix()
    rows = re.findall(r'<tr data-capability="([^"]+)">(.*?)</tr>', html, re.S)
    assert [capability for capability, _ in rows] == [capability for _app, capability, _roles in expected]
    for (capability, cells), (_app, _capability, holders) in zip(rows, expected, strict=True):
        held = dict(re.findall(r'<td class="text-center" data-role="([^"]+)" data-held="([01])"', cells))
        assert held == {role.value: "1" if role.value in holders else "0" for role in Role}, capability
    # Grouped by app, each group headed by the app's name, in the order of matrix().
    groups = re.findall(r'<tbody data-app="([^"]+)">', html)
    assert groups == list(dict.fromkeys(app for app, _c, _r in expected))
    # Role headers are the Chinese labels.
    assert '<th scope="col" class="text-center" data-role="security_admin">安全管理员</th>' in html


def test_every_other_role_is_refused_the_role_matrix(client_for, users, client):
    from jiceng.core.models import AuditEvent, EventType

    for name, user in users.items():
        if name == "security_admin":
            continue
        before = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).count()
        response = client_for(user).get(reverse("accounts:role_matrix"))
        assert response.status_code == 403, name
        assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED).count() == before + 1, name
        assert b"data-capability" not in response.content
        client.logout()
    anonymous = client.get(reverse("accounts:role_matrix"))
    assert anonymous.status_code == 302 and reverse("accounts:login") in anonymous["Location"]
