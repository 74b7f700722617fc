"""Histories show people's names; a finished step shows one message (issue 12)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from jiceng.assessments.models import ItemMark, Level, Status, Submission

from .conftest import fill_and_submit, fresh, review_and_forward

pytestmark = pytest.mark.django_db


def test_marks_and_history_show_the_persons_name(campaign, region, more_users, client_for):
    head = more_users["office_head"]
    head.full_name = "张志宏"
    head.save(update_fields=["full_name"])
    sub = fill_and_submit(campaign, region.office_a1, head)
    assert set(ItemMark.objects.filter(submission=sub, level=Level.SELF).values_list("actor_name", flat=True)) == {
        "张志宏"}
    page = client_for(more_users["county_reviewer"]).get(reverse("assessments:submission_detail", args=[sub.pk]))
    timeline = page.content.decode().split('data-testid="timeline"')[1]
    assert "<strong>张志宏</strong>" in timeline and "<strong>office_head</strong>" not in timeline


def test_after_closing_an_audit_only_one_message_appears(campaign, region, more_users, client_for):
    sub = review_and_forward(campaign, fill_and_submit(campaign, region.office_a1, more_users["office_head"]),
                             more_users["county_reviewer"])
    Submission.objects.filter(pk=sub.pk).update(needs_audit=True)
    client = client_for(more_users["city_admin"])
    response = client.post(reverse("assessments:submission_audit", args=[sub.pk]),
                           {"version": fresh(sub).version, "action": "close", "opinion": "无异议"}, follow=True)
    assert fresh(sub).status == Status.AUDITED
    assert response.redirect_chain[-1][0] == reverse("assessments:submission_detail", args=[sub.pk])
    texts = [str(m) for m in get_messages(response.wsgi_request)] or [str(m) for m in response.context["messages"]]
    assert len(texts) == 1
    body = response.content.decode()
    assert "审核已完成" in body or "Audit closed" in body
    assert "该申报不在审核阶段" not in body and "not under audit" not in body
