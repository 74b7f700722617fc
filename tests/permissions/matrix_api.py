"""The api app: personal API tokens (web pages) and every operation of /api/v1 (by method and OpenAPI path).

The API's objects are those of tests/api/assessment_states.py (a campaign over the whole region,
office CA1's submission brought to the stage each step needs; a second campaign over county A
only) and the shared region's staff. Every write's effect is `state`: the staff and unit rows
and the assessment snapshot, so a refused call that changed anything at all is caught.
"""

from __future__ import annotations

from api import assessment_states as states
from jiceng.assessments.capabilities import AUDIT_ASSESSMENTS, PUBLISH, REVIEW, SELF_ASSESS
from jiceng.core.capabilities import EDIT, VIEW
from jiceng.org.capabilities import UNMASK

from .kit import EMPTY, LOGIN, Op, Route

# The API's own pages: its description, not data.
PUBLIC_PATTERNS = {
    "api-v1:openapi-json": "the OpenAPI schema, public by design (docs/api.md)",
    "api-v1:openapi-view": "the self-hosted Swagger page of that schema",
    "api-v1:api-root": "names where the API is described",
    "api-v1:unknown-path": "the JSON 404 for an address the API lacks",
}


def _tokens(w):
    from jiceng.api.models import ApiToken

    return list(ApiToken.objects.order_by("pk").values_list("pk", "name", "revoked_at"))


def _token_of(username):
    def build(w) -> dict:
        from jiceng.api.services import token_create

        return {"pk": w.once(f"token:{username}", lambda: token_create(actor=w.users[username], name="矩阵")[0]).pk}

    return build


ROUTES: list = [
    Route("tokens:list", LOGIN, methods=("get", "post"), scoped=False, post_ok=(200,), payload=lambda w: {"name": "矩阵"},
          effect=_tokens),
    # Another user's token is "not found" (recorded).
    Route("tokens:revoke", LOGIN, methods=("post",), kwargs=_token_of("county_reviewer"), outsider="office_head",
          payload=lambda w: {"reason": "矩阵"}, effect=_tokens),
]


def _staff_a(w):
    from jiceng.org.models import Staff

    return Staff.objects.filter(unit=w.region.office_a1).order_by("pk").first()


def state(w):
    from jiceng.org.models import Staff, Unit

    return [list(Staff.objects.order_by("pk").values()), list(Unit.objects.order_by("pk").values()),
            states.snapshot(w.region)]


def _county_a_ids(w) -> set:
    from jiceng.org.models import Unit

    return set(Unit.objects.filter(path__startswith=w.region.county_a.path).values_list("pk", flat=True))


def _units_leaked(w, items) -> list:
    return [i for i in items if i["id"] in _county_a_ids(w)]


def _unit_ids_leaked(w, items) -> list:
    return [i for i in items if i.get("unit_id") in _county_a_ids(w)]


def _campaigns_leaked(w, items) -> list:
    # The outsider takes part in the region-wide campaign through their own office: that one is theirs.
    return [i for i in items if i["id"] != states.campaign(w.region).pk]


def _new_staff(w) -> dict:
    return {"unit": w.region.office_a1.pk, "name": "矩阵", "gender": "f", "education": "bachelor",
            "employment_type": "agency", "post": "window"}


def _id(stage):
    return lambda w: {"id": states.at_stage(w.region, stage).pk}


def _version(stage, **body):
    return lambda w: {"expected_version": states.at_stage(w.region, stage).version, **body}


def _built(w) -> dict:
    states.county_a_campaign(w.region)
    return {}


def _r(fn):
    # assessment_states' builders take the region.
    return lambda w: fn(w.region)


A = "/api/v1/assessments"
SUB = f"{A}/submissions/{{id}}"
WRITE = {"effect": state}
# Who acts for each level, and who sees the submission without holding the step (403).
OFFICE = {"actor": "office_head", "wrong_role": "county_reviewer", **WRITE}
COUNTY = {"actor": "county_reviewer", "wrong_role": "office_head", "outsider": "other_county_reviewer", **WRITE}
CITY = {"actor": "city_admin", "wrong_role": "county_reviewer", "outsider": "other_city_admin", **WRITE}
LIST = {"outside": EMPTY}

ROUTES += [
    Op("GET", "/api/v1/units/", VIEW, leaks=_units_leaked, **LIST),
    Op("GET", "/api/v1/units/{id}", VIEW, params=lambda w: {"id": w.region.office_a1.pk}),
    Op("PATCH", "/api/v1/units/{id}", EDIT, params=lambda w: {"id": w.region.office_a1.pk},
       body=lambda w: {"computers": 3}, wrong_role="office_staff", **WRITE),
    Op("GET", "/api/v1/staff/", VIEW, leaks=_unit_ids_leaked, **LIST),
    # A unit the caller may not edit is refused as a bad choice of `unit` (422), not "not found".
    Op("POST", "/api/v1/staff/", EDIT, body=_new_staff, ok=201, outside=422, outside_field="unit",
       wrong_role="office_staff", **WRITE),
    Op("GET", "/api/v1/staff/{id}", VIEW, params=lambda w: {"id": _staff_a(w).pk}),
    Op("PATCH", "/api/v1/staff/{id}", EDIT, params=lambda w: {"id": _staff_a(w).pk},
       body=lambda w: {"post": "deputy_head"}, wrong_role="office_staff", **WRITE),
    Op("DELETE", "/api/v1/staff/{id}", EDIT, params=lambda w: {"id": _staff_a(w).pk}, ok=204,
       wrong_role="office_staff", **WRITE),
    # Unmasking changes no row; the audited disclosure is what a refusal must not make.
    Op("POST", "/api/v1/staff/{id}/unmask", UNMASK, params=lambda w: {"id": _staff_a(w).pk},
       body=lambda w: {"field": "phone", "reason": "矩阵"}, wrong_role="office_staff",
       effect=lambda w: _unmasks(), changes=True),
    Op("GET", f"{A}/campaigns/", VIEW, params=_built, leaks=_campaigns_leaked, **LIST),
    # Another city's administrator may not enrol county A's offices: refused as a bad choice of `units`.
    Op("POST", f"{A}/campaigns/", PUBLISH, body=_r(states.new_campaign), ok=201, outside=422, outside_field="units",
       **CITY),
    Op("GET", f"{A}/campaigns/{{id}}", VIEW, params=lambda w: {"id": states.county_a_campaign(w.region).pk}),
    Op("GET", f"{A}/submissions/", VIEW, params=_built, leaks=_unit_ids_leaked, **LIST),
    Op("GET", SUB, VIEW, params=_id("draft")),
    Op("POST", f"{SUB}/draft", SELF_ASSESS, params=_id("draft"),
       body=_version("draft", items={"1.1": {"score": 1, "comment": "矩阵"}}), **OFFICE),
    Op("POST", f"{SUB}/submit", SELF_ASSESS, params=_id("filled"), body=_version("filled"), **OFFICE),
    Op("POST", f"{SUB}/review", REVIEW, params=_id("submitted"),
       body=_version("submitted", items={"1.1": {"score": 0, "comment": "未见台帐"}}), **COUNTY),
    Op("POST", f"{SUB}/return", REVIEW, params=_id("submitted"), body=_version("submitted", reason="请补充台帐。"),
       **COUNTY),
    Op("POST", f"{SUB}/forward", REVIEW, params=_id("scored"), body=_version("scored", opinion="同意上报。"), **COUNTY),
    Op("POST", f"{SUB}/audit", AUDIT_ASSESSMENTS, params=_id("reviewed"),
       body=_version("reviewed", items={"1.1": {"score": 0}}, reason="抽查未见台帐"), **CITY),
    Op("POST", f"{SUB}/audit/close", AUDIT_ASSESSMENTS, params=_id("reviewed"),
       body=_version("reviewed", opinion="核查属实。"), **CITY),
    Op("POST", f"{SUB}/pilot", REVIEW, params=_id("draft"), body=lambda w: {"pilot": True}, **COUNTY),
    Op("POST", f"{SUB}/evidence", SELF_ASSESS, params=_id("draft"), multipart=True, ok=201,
       body=lambda w: {"item_id": "1.2", "file": ("制度.png", states.png())}, **OFFICE),
    Op("GET", f"{A}/evidence/{{id}}", VIEW, params=lambda w: {"id": states.evidence(w.region).pk}),
    Op("DELETE", f"{A}/evidence/{{id}}", SELF_ASSESS, params=lambda w: {"id": states.evidence(w.region).pk}, ok=204,
       **OFFICE),
    Op("POST", f"{SUB}/vetoes", PUBLISH, params=_id("draft"), multipart=True,
       body=lambda w: {"veto_id": "major-accident", "occurred_on": states.IN_PERIOD, "description": "矩阵"}, **CITY),
    Op("GET", f"{A}/vetoes/{{id}}/evidence", VIEW, params=lambda w: {"id": states.vetoed(w.region).pk}),
    Op("POST", f"{SUB}/bonuses", PUBLISH, params=_id("draft"),
       body=lambda w: {"bonus_id": "county-satisfied", "awarded_on": states.IN_PERIOD_2}, **CITY),
    Op("POST", f"{A}/flags/{{id}}/dismiss", PUBLISH, params=lambda w: {"id": states.flagged(w.region).pk},
       body=lambda w: {"reason": "复核属实"}, **CITY),
    Op("POST", f"{SUB}/revoke", PUBLISH, params=lambda w: {"id": states.published(w.region).pk},
       body=lambda w: {"reason": "矩阵"}, **CITY),
    Op("POST", f"{SUB}/extend", PUBLISH, params=_id("draft"), body=_r(states.extension), **CITY),
    Op("POST", f"{A}/campaigns/{{id}}/deadlines", PUBLISH,
       params=lambda w: {"id": states.county_a_campaign(w.region).pk}, body=_r(states.moved_deadlines), **CITY),
    Op("POST", f"{A}/campaigns/{{id}}/publish", PUBLISH, params=lambda w: {"id": states.ready(w.region).pk},
       body=lambda w: {}, **CITY),
    Op("GET", f"{A}/campaigns/{{id}}/results", VIEW, params=lambda w: {"id": states.published(w.region).campaign_id}),
]


def _unmasks() -> int:
    from jiceng.core.models import AuditEvent, EventType

    return AuditEvent.objects.filter(event_type=EventType.UNMASK).count()

