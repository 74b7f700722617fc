"""assessments' routes: campaigns, submissions through their stages, vetoes, bonuses, evidence and outputs.

The objects are those of tests/assessments/matrix.py: a campaign of the city over county A's offices
only (CA1's draft with a photo and a veto, CA2's submission with a flag), so everyone of county B is
an outsider; the city's own steps (PUBLISH, AUDIT_ASSESSMENTS) have the administrator of another
city as their outsider. Publishing and moving deadlines use tests/api/assessment_states.py's
campaign whose offices are all reviewed.
"""

from __future__ import annotations

from datetime import timedelta

from assessments import matrix as objects
from jiceng.assessments.capabilities import AUDIT_ASSESSMENTS, PUBLISH, REVIEW, SELF_ASSESS
from jiceng.core.capabilities import VIEW

from .kit import EMPTY, FORBIDDEN, Route, form_as_posted


def _pk(name):
    def build(w) -> dict:
        return {"pk": objects.matrix_objects(w.region, w.users)[name].pk}

    return build


def _campaign_built(w) -> dict:
    objects.matrix_objects(w.region, w.users)
    return {}


def _campaign_names(w) -> list[str]:
    return [objects.matrix_objects(w.region, w.users)["campaign"].name]


def _ready(w) -> dict:
    from api import assessment_states

    return {"pk": assessment_states.ready(w.region).pk}


def _state(w):
    from api import assessment_states

    return assessment_states.snapshot(w.region)


def _deadlines(w) -> dict:
    campaign = objects.matrix_objects(w.region, w.users)["campaign"]
    later = timedelta(days=7)
    return {"self_deadline": (campaign.self_deadline + later).isoformat(),
            "review_deadline": (campaign.review_deadline + later).isoformat(),
            "audit_deadline": (campaign.audit_deadline + later).isoformat(), "reason": "矩阵"}


def _extension(w) -> dict:
    draft = objects.matrix_objects(w.region, w.users)["draft"]
    return {"extended_to": (draft.campaign.self_deadline + timedelta(days=5)).isoformat(), "reason": "矩阵"}


def _campaigns(w):
    from jiceng.assessments.models import Campaign

    return list(Campaign.objects.order_by("pk").values_list("pk", "name"))


def _new_campaign(w) -> dict:
    from api import assessment_states

    body = assessment_states.new_campaign(w.region)
    fields = ("name", "scheme_id", "period_start", "period_end", "self_deadline", "review_deadline",
              "audit_deadline", "audit_mode", "sample_ratio", "seed")
    # The form asks the sample ratio as a percentage.
    return {**{k: body[k] for k in fields}, "false_data_gap": "10", "sample_ratio": str(body["sample_ratio"] * 100)}


def _cancellable(w) -> dict:
    """A campaign over office CA1 that nobody has started: the city may still cancel it."""
    from datetime import date

    from factories import open_deadlines
    from jiceng.assessments import services
    from jiceng.assessments.models import Campaign

    campaign = Campaign.objects.filter(name="矩阵撤销").first()
    if campaign is None:
        campaign = services.campaign_create(
            actor=None, organiser=w.region.city, name="矩阵撤销", scheme_id="taizhou-office-2021",
            period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), **open_deadlines(), audit_mode="all",
            units=[w.region.office_a1])
    return {"pk": campaign.pk}


def _reviewed(w):
    # Office CA1's submission of tests/api/assessment_states.py's campaign, forwarded by its county: the city audits it.
    from api import assessment_states

    return assessment_states.at_stage(w.region, "reviewed")


def _level_form(form_name, name, **changes):
    """The submission page's own form as posted back, with one item scored and commented (a real save)."""

    def build(w) -> dict:
        from jiceng.assessments import forms, schemes

        sub = _reviewed(w) if name == "reviewed" else objects.matrix_objects(w.region, w.users)[name]
        sub.refresh_from_db()
        cs = schemes.campaign_scheme(sub.campaign)
        form = getattr(forms, form_name)(cs=cs, submission=sub)
        return form_as_posted(form, **{f"score_{cs.ids[0]}": "1", f"comment_{cs.ids[0]}": "矩阵",
                                                 "reason": "矩阵", **changes})

    return build


# The city's steps: another city's administrator is the outsider, the county reviewer (who sees the
# campaign) the wrong role (403), and who sees nothing of it gets the audited 404 before any check.
_CITY = {"actor": "city_admin", "outsider": "other_city_admin", "lacking": ("no_role", "office_head"),
         "denied": FORBIDDEN, "wrong_role": "county_reviewer"}

ROUTES = [
    Route("assessments:campaign_list", VIEW, kwargs=_campaign_built, outside=EMPTY, denied=EMPTY,
          secret=_campaign_names),
    # Creating a campaign is the city's: not tied to an object, so no out-of-scope case.
    Route("assessments:campaign_create", PUBLISH, methods=("get", "post"), scoped=False, actor="city_admin",
          denied=FORBIDDEN, lacking=("no_role", "office_head"), wrong_role="county_reviewer",
          payload=_new_campaign, effect=_campaigns),
    Route("assessments:campaign_detail", VIEW, kwargs=_pk("campaign")),
    Route("assessments:review_queue", VIEW, kwargs=_pk("campaign")),
    Route("assessments:audit_queue", VIEW, kwargs=_pk("campaign")),
    # GET is the confirmation step (what would be published); POST publishes.
    Route("assessments:campaign_publish", PUBLISH, methods=("get", "post"), kwargs=_ready, payload=lambda w: {},
          effect=_state, **_CITY),
    Route("assessments:campaign_cancel", PUBLISH, methods=("get", "post"), kwargs=_cancellable,
          payload=lambda w: {"reason": "误建"}, effect=_campaigns, **_CITY),
    Route("assessments:campaign_deadlines", PUBLISH, methods=("post",), kwargs=_pk("campaign"), payload=_deadlines,
          effect=_state, **_CITY),
    Route("assessments:submission_detail", VIEW, kwargs=_pk("submission")),
    # The office's own self-evaluation: its county's reviewer sees the draft but may not fill it in (404: the
    # page is the office's).
    Route("assessments:submission_self", SELF_ASSESS, methods=("get", "post"), kwargs=_pk("draft"),
          actor="office_head", wrong_role="county_reviewer", payload=_level_form("SelfEvaluationForm", "draft"),
          effect=_state),
    Route("assessments:submission_review", REVIEW, methods=("get", "post"), kwargs=_pk("submission"),
          outsider="other_county_reviewer", wrong_role="city_admin",
          payload=_level_form("ReviewForm", "submission", action="save"), effect=_state),
    Route("assessments:submission_audit", AUDIT_ASSESSMENTS, methods=("get", "post"),
          kwargs=lambda w: {"pk": _reviewed(w).pk}, actor="city_admin", outsider="other_city_admin",
          wrong_role="county_reviewer", payload=_level_form("AuditForm", "reviewed"), effect=_state),
    Route("assessments:veto_create", PUBLISH, methods=("post",), kwargs=_pk("submission"), effect=_state, **_CITY,
          payload=lambda w: {"veto_id": "major-accident", "occurred_on": "2021-07-02", "description": "矩阵"}),
    Route("assessments:bonus_create", PUBLISH, methods=("post",), kwargs=_pk("submission"), effect=_state, **_CITY,
          payload=lambda w: {"bonus_id": "county-satisfied", "awarded_on": "2021-06-01"}),
    Route("assessments:deadline_extend", PUBLISH, methods=("post",), kwargs=_pk("draft"), payload=_extension,
          effect=_state, **_CITY),
    Route("assessments:flag_dismiss", PUBLISH, methods=("post",), kwargs=_pk("flag"),
          payload=lambda w: {"reason": "复核属实"}, effect=_state, **_CITY),
    Route("assessments:evidence_download", VIEW, kwargs=_pk("evidence")),
    Route("assessments:evidence_delete", SELF_ASSESS, methods=("post",), kwargs=_pk("evidence"), actor="office_head",
          wrong_role="county_reviewer", payload=lambda w: {"reason": "矩阵"}, effect=_state),
    Route("assessments:veto_evidence", VIEW, kwargs=_pk("veto")),
    Route("assessment_outputs:dashboard", VIEW, kwargs=_pk("campaign")),
    Route("assessment_outputs:scoresheet", VIEW, kwargs=_pk("campaign")),
    # The notice is the city's document: who sees the campaign without running it gets 403.
    Route("assessment_outputs:notice", PUBLISH, kwargs=_pk("campaign"), actor="city_admin",
          outsider="other_city_admin", wrong_role="county_reviewer", wrong_status=FORBIDDEN),
    Route("assessment_outputs:declaration_docx", VIEW, kwargs=_pk("submission")),
    Route("assessment_outputs:declaration_pdf", VIEW, kwargs=_pk("submission")),
    Route("assessment_outputs:evidence_zip", VIEW, kwargs=_pk("submission")),
]
