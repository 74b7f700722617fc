"""core's routes: the audit trail (the audit administrator's), background exports (their owner's), the language switch."""

from __future__ import annotations

from jiceng.core.capabilities import READ_AUDIT, VIEW

from .kit import EMPTY, FORBIDDEN, LOGIN, PUBLIC, Route


def _job_of(username):
    def build(w) -> dict:
        # A finished background export (core.export_jobs), run here without a worker: only its owner may reach it.
        def make():
            from jiceng.core.export_jobs import export_job_run
            from jiceng.core.models import ExportJob

            job = ExportJob.objects.create(user=w.users[username], kind="staff", title="matrix")
            export_job_run(str(job.pk))
            return str(job.pk)

        return {"job": w.once(f"job:{username}", make)}

    return build


def _evidence_attachment(w) -> dict:
    # The one attachment download (core.downloads): the matrix's evidence file, owned by an office of county A.
    from assessments import matrix as objects

    return {"pk": objects.matrix_objects(w.region, w.users)["evidence"].attachment_id}


_OVERDUE_SUBJECT = "矩阵逾期案件"


def _overdue_case(w) -> dict:
    # An overdue row of the test ledger (tests/ledger_app) in an office of county A, for the overdue list.
    def make():
        from datetime import date

        from jiceng.calendar import DayUnit
        from jiceng.core.deadlines import Deadline, Rule
        from jiceng.core.workdays import calendar
        from ledger_app.models import Case

        row = Case(unit=w.region.office_a1, subject=_OVERDUE_SUBJECT, state="open", opened_on=date(2026, 1, 5))
        row.set_deadline(Deadline.compute(calendar(), Rule(1, DayUnit.WORKING, "受理"), date(2026, 1, 5)))
        row.save()
        return row.pk

    w.once("ledger:overdue_case", make)
    return {}


# The audit trail is not unit-scoped: only the audit administrator reads it; the other two separated
# administrators are the "wrong role", and business roles hold it nowhere.
_AUDIT = {"scoped": False, "actor": "audit_admin", "denied": FORBIDDEN, "lacking": ("no_role", "city_admin"),
          "wrong_role": "system_admin"}

ROUTES = [
    Route("core:audit_list", READ_AUDIT, **_AUDIT),
    Route("core:audit_export", READ_AUDIT, ok=(200, 302), **_AUDIT),
    Route("exports:list", LOGIN, scoped=False),
    # The overdue rows of every ledger: a capability check first (403), then only the rows in scope.
    Route("core:ledger_overdue", VIEW, kwargs=_overdue_case, denied=FORBIDDEN, outside=EMPTY,
          secret=lambda w: [w.region.office_a1.name]),
    # A background export belongs to the user who started it: anyone else gets the audited 404.
    Route("exports:job", LOGIN, kwargs=_job_of("county_reviewer"), outsider="office_head"),
    Route("exports:progress", LOGIN, kwargs=_job_of("county_reviewer"), outsider="office_head"),
    Route("exports:download", LOGIN, kwargs=_job_of("county_reviewer"), outsider="office_head"),
    # The language switch sets a cookie and stores nothing.
    Route("core:attachment_download", VIEW, kwargs=_evidence_attachment),
    Route("set_language", PUBLIC, methods=("post",), post_ok=(302,), payload=lambda w: {"language": "en", "next": "/"},
          effect=lambda w: None, changes=False),
    # The offline queue's service worker script: the same file for everyone, nothing of any unit in it.
    Route("core:offline_sw", PUBLIC),
]
