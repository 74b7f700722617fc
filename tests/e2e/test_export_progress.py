"""A large staff export in the browser: the job page polls its progress with htmx until the download appears."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.e2e


@pytest.fixture
def worker():
    """The django-tasks-db worker of `jiceng serve`, in a thread of this process; started by the test."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    runner = Worker(
        queue_names=["*"], interval=0.2, batch=False, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="e2e", excluded_queue_names=[],
    )

    def run():
        try:
            runner.run()
        finally:
            connection.close()  # the thread's own connection, so the database can be emptied after the test

    thread = threading.Thread(target=run, daemon=True)
    yield thread
    runner.running = False
    if thread.is_alive():
        thread.join(timeout=10)


def test_a_large_staff_export_shows_its_progress_then_the_download(tour, demo, settings, tmp_path, worker):
    settings.EXPORT_STREAM_THRESHOLD = 10  # the demo's staff list is "large" here
    settings.DATA_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    tour.login("county", demo.password)
    tour.goto("/org/staff/")
    tour.click_and_load(tour.page.get_by_test_id("export-link"))
    assert tour.path().startswith("/exports/")
    progress = tour.page.get_by_test_id("export-progress")
    # No worker yet: the job waits, and the page keeps asking.
    assert progress.get_attribute("data-status") == "queued"
    with tour.page.expect_response(lambda r: r.url.endswith("/progress/")) as polled:
        pass
    assert polled.value.request.headers.get("hx-request") == "true"
    assert "<html" not in polled.value.text()
    tour.shot("queued")

    worker.start()
    download = tour.page.get_by_test_id("export-download")
    download.wait_for(timeout=30_000)
    assert tour.page.get_by_test_id("export-progress").get_attribute("data-status") == "done"
    assert "100%" in tour.page.get_by_test_id("export-rows").inner_text()
    tour.shot("done")

    # `download` on the link lets the browser save the file instead of navigating to (and aborting) it.
    with tour.page.expect_download() as started:
        download.click()
    assert started.value.failure() is None
    assert started.value.suggested_filename.startswith("人员名单-") and started.value.suggested_filename.endswith(".xlsx")
    content = Path(started.value.path()).read_bytes()
    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(content))["人员"].iter_rows()]
    assert "county" in rows[0][0]  # the exporter line
    assert rows[1][0] == "单位编码"
    from jiceng.org.models import Staff

    in_jiaojiang = Staff.objects.filter(unit__path__startswith=demo.unit("331002").path, active=True).count()
    assert len(rows) - 2 == in_jiaojiang > 10
    assert {row[0][:6] for row in rows[2:]} == {"331002"}  # only the reviewer's county

    # "My exports" lists it, with its download.
    tour.goto("/exports/")
    assert tour.page.get_by_test_id("export-jobs").locator("a[href$='/download/']").count() == 1
