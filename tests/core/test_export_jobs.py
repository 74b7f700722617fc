"""Large exports run as background jobs: progress, a real file for its owner only, the audit record, failures, expiry."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone, translation
from openpyxl import load_workbook

from factories import make_staff, make_user
from jiceng.core import export_jobs
from jiceng.core.export_jobs import export_job_run, export_job_start, export_jobs_purge
from jiceng.core.models import AuditEvent, EventType, ExportJob
from jiceng.core.tabular import exporting
from jiceng.core.tabular.exporting import ExportSpec, register_export
from jiceng.org.exports import STAFF_COLUMNS

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOB_URL = re.compile(r"^/exports/([0-9a-f-]{36})/$")


@pytest.fixture(autouse=True)
def _private_dir_and_low_threshold(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.EXPORT_STREAM_THRESHOLD = 1
    settings.TASKS = IMMEDIATE


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(region):
    from jiceng.core import pii

    body = "33100219800101001"
    return {
        "head": make_staff(
            region.office_a1,
            name="王所长",
            post="head",
            id_number=body + pii.id_check_digit(body),
            phone="13812345678",
            birth_date=datetime.date(1980, 1, 1),
        ),
        "injected": make_staff(region.office_a2, name="=HYPERLINK(\"http://x\")", post="head"),
        "other_county": make_staff(region.office_b1, name="乙县的人", post="head"),
    }


@pytest.fixture
def kinds():
    """Register export kinds for one test only."""
    added: list[str] = []

    def add(kind, build):
        register_export(kind, build)
        added.append(kind)

    yield add
    for kind in added:
        exporting._REGISTRY.pop(kind, None)


def job_of(response) -> ExportJob:
    assert response.status_code == 302, response.status_code
    match = JOB_URL.match(response["Location"])
    assert match, response["Location"]
    return ExportJob.objects.get(pk=match.group(1))


def content_of(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == exporting.XLSX_TYPE
    assert "no-store" in response["Cache-Control"]
    return b"".join(response.streaming_content)


def rows_of(content: bytes, sheet: str) -> list[list]:
    return [[cell.value for cell in row] for row in load_workbook(io.BytesIO(content))[sheet].iter_rows()]


def test_a_large_staff_export_becomes_a_job_whose_file_is_the_filtered_list_masked(users, client_for, people):
    client = client_for(users["county_reviewer"])
    job = job_of(client.get("/org/staff/export/", {"post": "head"}, REMOTE_ADDR="10.1.2.3"))
    assert job.user == users["county_reviewer"]
    assert (job.kind, job.title, job.filters) == ("staff", "人员名单", {"post": "head"})
    assert job.status == ExportJob.Status.DONE
    heads_in_county_a = 4  # the region's heads of CA1 and CA2, 王所长 and the injected name
    assert job.rows_written == job.rows_total == heads_in_county_a
    assert job.percent == 100

    page = client.get(job.get_absolute_url()).content.decode()
    assert f"/exports/{job.pk}/download/" in page
    assert "100%" in page and "hx-trigger" not in page  # finished: no more polling

    content = content_of(client.get(f"/exports/{job.pk}/download/"))
    assert response_name(client.get(f"/exports/{job.pk}/download/")) == job.file_name
    rows = rows_of(content, "人员")
    assert "county_reviewer" in rows[0][0]  # the exporter line stays in the file
    assert rows[1] == [column.header for column in STAFF_COLUMNS]
    names = sorted(row[2] for row in rows[2:])
    assert "王所长" in names and "乙县的人" not in names and len(names) == heads_in_county_a
    head = next(row for row in rows[2:] if row[2] == "王所长")
    assert head[4] == "331002********001" + people["head"].id_number[-1]
    assert head[12] == "138****5678"
    assert people["head"].id_number not in content.decode("latin-1")
    assert load_workbook(io.BytesIO(content)).properties.creator == "county_reviewer"

    # The audit record: as for a small export, plus the job; the hash is the served file's.
    event = AuditEvent.objects.get(event_type=EventType.EXPORT)
    assert event.actor_name == "county_reviewer"
    assert event.ip == "10.1.2.3"  # the request's address, although the worker wrote the record
    assert event.details == {
        "kind": "staff",
        "file": job.file_name,
        "rows": heads_in_county_a,
        "sha256": hashlib.sha256(content).hexdigest(),
        "filters": {"post": "head"},
        "background": True,
        "job": str(job.pk),
        "scope": [users["county_reviewer"].memberships.get().unit.path],  # what the rows were drawn from
    }
    assert job.sha256 == event.details["sha256"]


def response_name(response) -> str:
    from urllib.parse import unquote

    return unquote(response["Content-Disposition"].split("filename*=utf-8''")[-1])


def test_formula_injection_is_neutralised_in_a_background_export(users, client_for, people):
    client = client_for(users["city_admin"])
    job = job_of(client.get("/org/staff/export/"))
    content = content_of(client.get(f"/exports/{job.pk}/download/"))
    ws = load_workbook(io.BytesIO(content))["人员"]
    cell = next(cell for cell in ws["C"][2:] if cell.value == people["injected"].name)
    assert cell.data_type == "s" and cell.quotePrefix
    assert "<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()


def test_the_file_is_private_to_the_service_account_and_outside_static_and_media(users, client_for, people, settings):
    job = job_of(client_for(users["city_admin"]).get("/org/staff/export/"))
    path = Path(settings.DATA_DIR) / job.file_path
    assert path.parent == Path(settings.DATA_DIR) / "exports"
    assert path.stat().st_mode & 0o777 == 0o600
    assert Path(settings.MEDIA_ROOT) not in path.parents and Path(settings.STATIC_ROOT) not in path.parents


def test_a_small_export_is_still_downloaded_at_once(users, client_for, people, settings):
    settings.EXPORT_STREAM_THRESHOLD = 5000
    content = content_of(client_for(users["county_reviewer"]).get("/org/staff/export/"))
    assert rows_of(content, "人员")[1][0] == "单位编码"
    assert not ExportJob.objects.exists()
    assert AuditEvent.objects.get(event_type=EventType.EXPORT).details["background"] is False


def test_the_unit_and_audit_exports_run_as_jobs_too(users, client_for, region):
    client = client_for(users["county_reviewer"])
    units = job_of(client.get("/org/units/export/"))
    rows = rows_of(content_of(client.get(f"/exports/{units.pk}/download/")), "单位")
    assert [row[0] for row in rows[2:]] == ["CA", "CA1", "CA2", "CAT", "CATV", "CATVG"]
    assert {row[0]: row[3] for row in rows[2:]}["CA"] is None  # the city's code is not the reviewer's to see

    auditor = client_for(users["audit_admin"])
    audit = job_of(auditor.get("/audit/export/", {"event_type": "record.create", "actor": ""}))
    assert audit.filters == {"event_type": "record.create"}  # blanks are not stored
    rows = rows_of(content_of(auditor.get(f"/exports/{audit.pk}/download/")), "审计记录")
    assert len(rows) - 2 == audit.rows_written > 0
    assert {row[2] for row in rows[2:]} == {str(EventType.CREATE.label)}


def test_progress_is_reported_every_thousand_rows_not_every_row(monkeypatch, users, people, kinds):
    """The task records its progress as it goes (here every 2 rows instead of 1,000), visible while it writes."""
    from jiceng.core.tabular import writing
    from jiceng.org import selectors

    monkeypatch.setattr(writing, "PROGRESS_EVERY", 2)
    seen: list[int] = []

    def build(user, filters):
        def row_of(staff):
            seen.append(ExportJob.objects.get(user=user).rows_written)
            return [column.export(staff) for column in STAFF_COLUMNS]

        return ExportSpec("probe", "人员", STAFF_COLUMNS, selectors.staff_list(user), row_of=row_of)

    kinds("test.probe", build)
    for _ in range(3):
        make_staff(people["head"].unit)
    job = export_job_start(user=users["city_admin"], kind="test.probe", title="probe", filters={}, rows_total=0)
    assert job.status == ExportJob.Status.DONE and job.rows_written == job.rows_total == len(seen) == 10
    # Before row n the job showed the rows reported so far: 0, 0, 2, 2, 4, 4, ...
    assert seen == [index - index % 2 for index in range(10)]


def test_the_progress_fragment_shows_the_percentage_and_polls_until_the_end(users, client_for):
    owner = users["county_reviewer"]
    job = ExportJob.objects.create(user=owner, kind="staff", title="人员名单", rows_total=200, rows_written=50)
    client = client_for(owner)
    fragment = client.get(f"/exports/{job.pk}/progress/", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text
    assert "25%" in text and 'value="25"' in text and "已写入 50 / 200 行" in text
    assert f'hx-get="/exports/{job.pk}/progress/"' in text and 'hx-trigger="every 1s"' in text
    assert "style=" not in text  # CSP: no inline styles, the bar is a <progress> element
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert "<html" in page and 'id="export-progress"' in page and "htmx.min.js" in page

    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error="磁盘已满")
    text = client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert "磁盘已满" in text and "hx-trigger" not in text


def test_another_user_gets_404_for_the_page_the_fragment_and_the_download_and_is_recorded(users, client_for, people):
    owner_client = client_for(users["city_admin"])
    job = job_of(owner_client.get("/org/staff/export/"))
    # Even a user who may see the same staff, or the audit administrator, gets nothing.
    for name in ("county_reviewer", "audit_admin"):
        client = client_for(users[name])
        for url in (f"/exports/{job.pk}/", f"/exports/{job.pk}/progress/", f"/exports/{job.pk}/download/"):
            before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0  # the last seq (not the count: PostgreSQL numbers rows from a sequence)
            response = client.get(url)
            assert response.status_code == 404, (name, url)
            refusal = AuditEvent.objects.filter(seq__gt=before, event_type=EventType.ACCESS_DENIED).get()
            assert refusal.actor_name == name and refusal.object_id == str(job.pk)
        assert str(job.pk) not in client.get("/exports/").content.decode()
    # A malformed id is the same 404 as a missing one.
    assert client_for(users["city_admin"]).get("/exports/not-a-job/").status_code == 404


def test_a_failing_build_marks_the_job_failed_with_a_message_and_leaves_no_file(users, client_for, kinds, settings):
    def build(user, filters):
        raise RuntimeError("the disk is full")

    kinds("test.broken", build)
    owner = users["county_reviewer"]
    job = export_job_start(user=owner, kind="test.broken", title="broken", filters={}, rows_total=10)
    assert job.status == ExportJob.Status.FAILED
    assert "the disk is full" in job.error and job.finished_at is not None
    folder = Path(settings.DATA_DIR) / "exports"
    assert not folder.exists() or not list(folder.iterdir())
    assert not AuditEvent.objects.filter(event_type=EventType.EXPORT).exists()
    page = client_for(owner).get(f"/exports/{job.pk}/").content.decode()
    assert "the disk is full" in page and 'data-testid="export-error"' in page
    assert client_for(owner).get(f"/exports/{job.pk}/download/").status_code == 404


def test_a_failure_while_writing_removes_the_partial_file(users, kinds, settings):
    from jiceng.org import selectors

    def build(user, filters):
        def row_of(staff):
            raise ValueError("a broken row")

        return ExportSpec("broken", "人员", STAFF_COLUMNS, selectors.staff_list(user), row_of=row_of)

    kinds("test.broken-row", build)
    job = export_job_start(user=users["city_admin"], kind="test.broken-row", title="broken", filters={}, rows_total=1)
    assert job.status == ExportJob.Status.FAILED and "a broken row" in job.error
    assert list((Path(settings.DATA_DIR) / "exports").iterdir()) == []


def test_the_task_rebuilds_the_scope_when_it_runs_a_lost_capability_fails_the_job(users, client_for, settings):
    """The queryset is never stored: the worker asks the registry again, for the user as they are then."""
    from jiceng.accounts.services import membership_revoke

    settings.TASKS = DATABASE
    auditor = users["audit_admin"]
    job = job_of(client_for(auditor).get("/audit/export/"))
    assert job.status == ExportJob.Status.QUEUED  # waiting for a worker
    membership_revoke(actor=users["security_admin"], membership=auditor.memberships.get())
    with pytest.raises(PermissionDenied):
        export_job_run(str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.error == "您已无权进行此导出。"  # in the language of the request that started the job
    refusal = AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, actor_id=auditor.pk).latest("seq")
    assert refusal.details["action"] == "export" and refusal.details["kind"] == "audit"
    assert not AuditEvent.objects.filter(event_type=EventType.EXPORT, details__job=str(job.pk)).exists()


def test_a_job_runs_once_even_if_its_task_is_delivered_twice(users, client_for, people):
    job = job_of(client_for(users["city_admin"]).get("/org/staff/export/"))
    assert export_job_run(str(job.pk)) == {"job": str(job.pk), "status": "skipped"}
    assert AuditEvent.objects.filter(event_type=EventType.EXPORT).count() == 1


def test_files_are_deleted_when_they_expire_and_the_page_says_so(users, client_for, people, settings):
    client = client_for(users["city_admin"])
    job = job_of(client.get("/org/staff/export/"))
    path = Path(settings.DATA_DIR) / job.file_path
    assert job.expires_at == job.finished_at + timedelta(hours=24)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    # Even before any sweep, the download refuses an expired file.
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    assert not path.exists()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and job.file_path == ""
    assert "该文件已删除" in client.get(f"/exports/{job.pk}/").content.decode()


def test_the_sweep_deletes_expired_files_gives_up_abandoned_jobs_and_forgets_old_ones(users, settings):
    owner = users["county_reviewer"]
    folder = export_jobs.export_dir()
    now = timezone.now()
    (folder / "done.xlsx").write_bytes(b"x")
    done = ExportJob.objects.create(
        user=owner, kind="staff", title="t", status="done", file_path="exports/done.xlsx", expires_at=now - timedelta(minutes=1)
    )
    fresh_file = folder / "fresh.xlsx"
    fresh_file.write_bytes(b"x")
    fresh = ExportJob.objects.create(
        user=owner, kind="staff", title="t", status="done", file_path="exports/fresh.xlsx", expires_at=now + timedelta(hours=1)
    )
    abandoned = ExportJob.objects.create(user=owner, kind="staff", title="t", created_at=now - timedelta(hours=25))
    ExportJob.objects.create(user=owner, kind="staff", title="t", status="failed", created_at=now - timedelta(days=31))
    orphan = folder / "orphan.xlsx"
    orphan.write_bytes(b"x")
    old = (now - timedelta(hours=26)).timestamp()
    import os

    os.utime(orphan, (old, old))

    assert export_jobs_purge(now) == {"expired": 1, "abandoned": 1, "forgotten": 1, "orphans": 1}
    done.refresh_from_db()
    abandoned.refresh_from_db()
    assert done.status == "expired" and not (folder / "done.xlsx").exists()
    assert abandoned.status == "failed" and "task worker" in abandoned.error
    assert fresh_file.exists() and ExportJob.objects.get(pk=fresh.pk).status == "done"
    assert not orphan.exists()
    assert ExportJob.objects.count() == 3


def test_my_exports_lists_only_my_own_jobs(users, client_for, people):
    mine = job_of(client_for(users["city_admin"]).get("/org/staff/export/"))
    theirs = job_of(client_for(users["county_reviewer"]).get("/org/staff/export/"))
    page = client_for(users["city_admin"]).get("/exports/").content.decode()
    assert f"/exports/{mine.pk}/" in page and f"/exports/{mine.pk}/download/" in page
    assert str(theirs.pk) not in page


def test_an_unknown_kind_is_an_error_not_a_silent_empty_file(users):
    with pytest.raises(LookupError):
        exporting.build_export("no-such-kind", users["city_admin"], {})


def test_a_kind_cannot_be_registered_twice_by_different_builders(kinds):
    from django.core.exceptions import ImproperlyConfigured

    def build_one(user, filters):
        raise AssertionError("not called")

    def build_other(user, filters):
        raise AssertionError("not called")

    kinds("test.twice", build_one)
    register_export("test.twice", build_one)  # the same builder again (a module imported twice) is harmless
    with pytest.raises(ImproperlyConfigured, match="test.twice"):
        register_export("test.twice", build_other)


def test_the_kinds_of_every_app_are_found_without_importing_their_views():
    assert {"staff", "units", "audit"} <= set(exporting.registered_kinds())


def test_a_disabled_account_gets_no_file(users, client_for, people, settings):
    settings.TASKS = DATABASE
    owner = make_user("leaver", "county_reviewer", users["county_reviewer"].active_memberships[0].unit)
    job = job_of(client_for(owner).get("/org/staff/export/"))
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    with pytest.raises(export_jobs.ExportRefused):
        export_job_run(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed" and "账号已停用" in job.error
    assert AuditEvent.objects.filter(event_type=EventType.ACCESS_DENIED, actor_id=owner.pk, details__action="export").exists()


def test_a_job_given_up_while_it_ran_keeps_its_failure_and_leaves_no_file_or_export_record(users, client_for, people,
                                                                                           settings, monkeypatch):
    settings.TASKS = DATABASE
    job = job_of(client_for(users["county_reviewer"]).get("/org/staff/export/"))

    def give_up(rows):  # the sweep marks the job failed while it is writing
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error="given up")

    original = export_jobs.write_spec

    def write_and_give_up(*args, **kwargs):
        written = original(*args, **kwargs)
        give_up(written)
        return written

    monkeypatch.setattr(export_jobs, "write_spec", write_and_give_up)
    with pytest.raises(RuntimeError):
        export_job_run(str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.error, job.file_path) == ("failed", "given up", "")
    assert not AuditEvent.objects.filter(event_type=EventType.EXPORT, details__job=str(job.pk)).exists()
    assert list((Path(settings.DATA_DIR) / "exports").glob(f"{job.pk}*")) == []


# The worker opens and closes database connections as a real worker process does,
# which the per-test transaction of a plain test would not survive.
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_job_while_the_page_polls(users, client_for, people, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE
    client = client_for(users["city_admin"])
    job = job_of(client.get("/org/staff/export/"))
    assert job.status == ExportJob.Status.QUEUED
    task = DBTaskResult.objects.get()
    assert task.task_path == "jiceng.core.tasks.export_run"
    assert task.args_kwargs == {"args": [str(job.pk)], "kwargs": {}}  # the job's id only, never a query
    text = client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in text and "0%" in text

    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.rows_written == job.rows_total == 7
    text = client.get(f"/exports/{job.pk}/progress/").content.decode()
    assert "100%" in text and "hx-trigger" not in text and f"/exports/{job.pk}/download/" in text
    content = content_of(client.get(f"/exports/{job.pk}/download/"))
    assert len(rows_of(content, "人员")) == 2 + 7
    event = AuditEvent.objects.get(event_type=EventType.EXPORT)
    assert event.details["sha256"] == hashlib.sha256(content).hexdigest() == job.sha256


def test_a_worker_stopped_mid_export_does_not_leave_the_job_running(users, kinds, settings):
    from jiceng.org import selectors

    def build(user, filters):
        def row_of(staff):
            raise SystemExit(1)  # what the worker's second Ctrl-C raises

        return ExportSpec("stopped", "人员", STAFF_COLUMNS, selectors.staff_list(user), row_of=row_of)

    kinds("test.stopped", build)
    settings.TASKS = DATABASE
    job = export_job_start(user=users["city_admin"], kind="test.stopped", title="stopped", filters={}, rows_total=1)
    with pytest.raises(SystemExit):
        export_job_run(str(job.pk))
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "导出被中断" in job.error
    assert list((Path(settings.DATA_DIR) / "exports").iterdir()) == []


def test_the_menu_leads_to_my_exports_for_whoever_can_export(client_for, users):
    from django.urls import reverse

    for name, expected in (("office_staff", True), ("audit_admin", True), ("no_role", False)):
        nav = client_for(users[name]).get(reverse("tokens:list")).context["nav_items"]
        assert (reverse("exports:list") in [item["url"] for item in nav]) is expected, name


# --- reading without holding a transaction open (SQLite's "database is locked") -----------------


def _bulk_staff(unit, count: int) -> None:
    from jiceng.org.models import Staff

    Staff.objects.bulk_create(
        Staff(unit=unit, name=f"批量{index:05d}", gender="m", education="bachelor", employment_type="on_establishment",
              post="staff")
        for index in range(count)
    )


@pytest.fixture
def foreign_writes():
    """Commit a write from ANOTHER connection to the same database just before each progress report.

    It is what happens in production while a job runs: the owner's progress
    page polls every second and its session is saved, by the web process,
    between two reports of the worker.
    """
    from django.db import connection, connections

    other = connections.create_connection("default")
    writes: list[str] = []

    def before_progress(execute, sql, params, many, context):
        if sql.startswith('UPDATE "core_exportjob"') and '"rows_written"' in sql and not connection.in_atomic_block:
            key = f"foreign{len(writes):032d}"[-40:]
            with other.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (%s, %s, %s)",
                    [key, "x", timezone.now() + timedelta(days=1)],
                )
            writes.append(key)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(before_progress):
        yield writes
    other.close()


@pytest.mark.django_db(transaction=True)
def test_a_write_from_another_connection_between_progress_reports_does_not_lock_the_job(users, people, settings,
                                                                                          foreign_writes):
    """B1: the export used to hold one read open for the whole file, so on SQLite (WAL) the progress
    UPDATE after any other connection's write failed at once with "database is locked" - and so did
    marking the job failed, leaving it "running" for a day and killing the worker."""
    settings.TASKS = DATABASE
    _bulk_staff(people["head"].unit, 2500)
    owner = users["city_admin"]
    job = export_job_start(user=owner, kind="staff", title="人员名单", filters={}, rows_total=0)

    result = export_job_run(str(job.pk))

    job.refresh_from_db()
    total = 2500 + 7
    assert foreign_writes[:2] == [f"foreign{0:032d}", f"foreign{1:032d}"]  # reports at 1,000 and 2,000 rows
    assert result["status"] == "done" and job.status == ExportJob.Status.DONE
    assert job.rows_written == job.rows_total == total
    rows = rows_of((Path(settings.DATA_DIR) / job.file_path).read_bytes(), "人员")
    assert len(rows) - 2 == total


def test_the_rows_keep_each_lists_order_across_chunks(monkeypatch, users, client_for, people, region):
    """Chunks are fetched by key, but the file keeps the list's own order (not the keys' order)."""
    from jiceng.org import selectors
    from jiceng.org.models import Staff

    monkeypatch.setattr(exporting, "CHUNK_ROWS", 3)
    # Names in the reverse order of their keys, in two units, so key order and list order differ.
    for index in range(8):
        make_staff(region.office_a2 if index % 2 else region.office_a1, name=f"排序{9 - index}", post="staff")
    owner = users["city_admin"]
    client = client_for(owner)

    staff = job_of(client.get("/org/staff/export/"))
    names = [row[2] for row in rows_of(content_of(client.get(f"/exports/{staff.pk}/download/")), "人员")[2:]]
    assert names == [person.name for person in selectors.staff_list(owner)]
    assert names != [person.name for person in Staff.objects.filter(active=True).order_by("pk")]

    units = job_of(client.get("/org/units/export/"))
    codes = [row[0] for row in rows_of(content_of(client.get(f"/exports/{units.pk}/download/")), "单位")[2:]]
    assert codes == ["C", "CA", "CA1", "CA2", "CAT", "CATV", "CATVG", "CB", "CB1"]

    auditor = client_for(users["audit_admin"])
    audit = job_of(auditor.get("/audit/export/"))
    seqs = [row[0] for row in rows_of(content_of(auditor.get(f"/exports/{audit.pk}/download/")), "审计记录")[2:]]
    assert len(seqs) > 3 and seqs == sorted(seqs, reverse=True)  # newest first, as the list shows them


@pytest.mark.django_db(transaction=True)
def test_a_failure_is_recorded_even_when_the_export_left_a_stale_read_open(users, people, kinds, settings):
    """Marking the job failed must land whatever state the failed export left its connection in."""
    from django.db import connection, connections

    from jiceng.org import selectors
    from jiceng.org.models import Staff

    held = []

    def build(user, filters):
        def row_of(staff):
            # A builder reading lazily on the worker's connection (a cursor left open), while the
            # owner's page writes from another connection; then the row fails.
            reader = connection.cursor()
            reader.execute(f"SELECT id FROM {Staff._meta.db_table} ORDER BY id")
            held.append((reader, reader.fetchone()))
            other = connections.create_connection("default")
            with other.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO django_session (session_key, session_data, expire_date) VALUES (%s, %s, %s)",
                    ["stale-read-probe", "x", timezone.now() + timedelta(days=1)],
                )
            other.close()
            raise ValueError("a broken row")

        return ExportSpec("broken", "人员", STAFF_COLUMNS, selectors.staff_list(user), row_of=row_of)

    kinds("test.stale-read", build)
    settings.TASKS = DATABASE
    job = export_job_start(user=users["city_admin"], kind="test.stale-read", title="broken", filters={}, rows_total=1)
    with pytest.raises(ValueError, match="a broken row"):
        export_job_run(str(job.pk))
    held.clear()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "a broken row" in job.error
    assert list((Path(settings.DATA_DIR) / "exports").iterdir()) == []


def test_a_file_deleted_by_the_sweep_before_the_download_is_answered_as_expired(users, client_for, people, settings):
    client = client_for(users["city_admin"])
    job = job_of(client.get("/org/staff/export/"))
    (Path(settings.DATA_DIR) / job.file_path).unlink()  # the sweep of another process got there first
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404
    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and job.file_path == ""
    assert "该文件已删除" in client.get(f"/exports/{job.pk}/").content.decode()


def _refused_download(client, job, owner) -> str:
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0  # the last seq (not the count: PostgreSQL numbers rows from a sequence)
    response = client.get(f"/exports/{job.pk}/download/")
    assert response.status_code == 403
    assert not hasattr(response, "streaming_content")  # no file
    refusal = AuditEvent.objects.filter(seq__gt=before, event_type=EventType.ACCESS_DENIED).get()
    assert refusal.actor_name == owner.username and refusal.object_id == str(job.pk)
    assert refusal.details["action"] == "download"
    return response.content.decode()


def test_a_finished_file_is_refused_once_its_owner_lost_the_capability(users, client_for, people):
    from jiceng.accounts.services import membership_grant, membership_revoke

    auditor = users["audit_admin"]
    client = client_for(auditor)
    job = job_of(client.get("/audit/export/"))
    assert content_of(client.get(f"/exports/{job.pk}/download/"))
    assert 'data-testid="export-download"' in client.get(f"/exports/{job.pk}/").content.decode()
    membership = auditor.memberships.get()
    membership_revoke(actor=users["security_admin"], membership=membership)
    # The page no longer offers the file; it says why.
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert 'data-testid="export-download"' not in page and "您已无权进行此导出。" in page
    text = _refused_download(client, job, auditor)
    assert "您已无权进行此导出。" in text  # the message a job refused for the same reason shows
    # The role given back, the file is theirs again until it expires.
    membership_grant(actor=users["security_admin"], user=auditor, unit=membership.unit, role=membership.role)
    assert 'data-testid="export-download"' in client.get(f"/exports/{job.pk}/").content.decode()
    assert content_of(client.get(f"/exports/{job.pk}/download/"))


def test_a_finished_file_is_refused_once_its_owners_scope_no_longer_covers_it(users, client_for, people, region):
    from jiceng.accounts.services import membership_grant, membership_revoke

    owner = make_user("mover", "county_reviewer", region.county_a)
    client = client_for(owner)
    job = job_of(client.get("/org/staff/export/"))
    # Moved from the county to one of its offices: the file holds people they no longer see.
    membership_grant(actor=users["security_admin"], user=owner, unit=region.office_a1, role="office_head")
    membership_revoke(actor=users["security_admin"], membership=owner.memberships.get(unit=region.county_a))
    assert "您已无权进行此导出。" in _refused_download(client, job, owner)
    # A wider scope (the whole city) covers the county the file was written from.
    membership_grant(actor=users["security_admin"], user=owner, unit=region.city, role="city_admin")
    assert content_of(client.get(f"/exports/{job.pk}/download/"))
