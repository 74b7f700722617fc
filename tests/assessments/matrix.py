"""Objects of county A for the project's permission matrix (tests/test_permission_matrix.py).

The campaign enrols only county A's offices, so the head of the county B office
is an outsider to all of it (404, recorded), while county A's reviewer, office
head and the city admin are in scope. Built once per test and kept on the region.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def matrix_objects(region, users) -> dict:
    cached = getattr(region, "_assessment_objects", None)
    if cached is not None:
        return cached
    from django.core.files.base import ContentFile

    from factories import open_deadlines
    from jiceng.assessments import services
    from jiceng.assessments.models import Flag

    from .conftest import fill_and_submit
    from .test_evidence import png_bytes

    city = users["city_admin"]
    campaign = services.campaign_create(
        actor=city, organiser=region.city, name="矩阵测试考核", scheme_id="taizhou-office-2021",
        period_start=date(2021, 5, 10), period_end=date(2022, 4, 30), **open_deadlines(), audit_mode="all",
        units=[region.office_a1, region.office_a2], seed=1, sample_ratio=Decimal("1"),
    )
    # CA1 (office_head's office) stays a draft with a photo; CA2 is submitted to the county.
    a1 = campaign.submissions.get(unit=region.office_a1)
    evidence = services.evidence_add(actor=users["office_head"], submission=a1, item_id="2.2",
                                     upload=ContentFile(png_bytes(), name="photo.png"))
    a2 = fill_and_submit(campaign, region.office_a2, None)
    flag = Flag.objects.create(submission=a2, kind="false-data", details={})
    veto = services.veto_register(actor=city, submission=a1, veto_id="major-accident", occurred_on=date(2021, 7, 1),
                                  description="矩阵测试事故", evidence=ContentFile(png_bytes(), name="accident.png"))
    cached = {"campaign": campaign, "submission": a2, "draft": a1, "evidence": evidence, "flag": flag, "veto": veto}
    region._assessment_objects = cached
    return cached


def campaign_pk(region, users) -> dict:
    return {"pk": matrix_objects(region, users)["campaign"].pk}


def submission_pk(region, users) -> dict:
    return {"pk": matrix_objects(region, users)["submission"].pk}


def draft_pk(region, users) -> dict:
    return {"pk": matrix_objects(region, users)["draft"].pk}


def evidence_pk(region, users) -> dict:
    return {"pk": matrix_objects(region, users)["evidence"].pk}


def veto_pk(region, users) -> dict:
    return {"pk": matrix_objects(region, users)["veto"].pk}


def flag_pk(region, users) -> dict:
    return {"pk": matrix_objects(region, users)["flag"].pk}
