"""Schemathesis over the whole /api/v1 schema, against a live server, as an in-scope user.

Positive and negative data for every operation; the run fails on any 5xx, on a
status code the schema does not declare, on an undeclared content type, and on
a response body that does not match its declared schema. Deterministic
(derandomized, no example database) and bounded by MAX_EXAMPLES.

The schema is loaded at collection time from the API object, so pytest gets
one test per operation; `test_the_served_schema_is_the_one_tested` checks the
live server serves exactly that schema. (schemathesis' fixture-based lazy
loader does not run under pytest 9.)
"""

from __future__ import annotations

import json

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jiceng.api.v1 import api

from . import assessment_states
from .conftest import make_person

# Per operation and generation phase: enough to reach every parameter's bounds
# and type errors, small enough for CI.
MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    deterministic=True,
    database="none",
    # We send a valid token ourselves; generated Authorization values would only test 401s.
    with_security_parameters=False,
)


@pytest.fixture
def live_api(live_server, transactional_db, region, users, token_for):
    """The live server's URL and the headers of an in-scope user (a county reviewer, who may edit)."""
    # People with personal data, so the masks and unmask have something to work on.
    make_person(region.office_a1, name="模糊", phone="13812345678", id_number="11010519491231002X")
    # A campaign with a submission waiting for this reviewer, so the assessment operations reach real data.
    assessment_states.at_stage(region, "submitted")
    return live_server.url, {"Authorization": f"Bearer {token_for(users['county_reviewer'])}"}


def test_the_served_schema_is_the_one_tested(live_api):
    url, headers = live_api
    served = requests.get(f"{url}/api/v1/openapi.json", timeout=10)
    assert served.status_code == 200
    assert served.json() == json.loads(json.dumps(api.get_openapi_schema()))


@schema.parametrize()
# The fixture (server, data, token) is meant to be shared by all examples of an operation.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_api_never_fails_and_answers_as_documented(case, live_api):
    url, headers = live_api
    case.call_and_validate(base_url=url, headers=headers, checks=CHECKS)


# Operations that reach their service only for the city or the office: fuzzed again as that user, on real
# objects (a generated id is replaced by the id of an object in that state), so the services' own checks
# meet arbitrary input. The county reviewer's run above covers the 404s of ids that name nothing.
AS_CITY = ["assessment_campaign_create", "assessment_campaign_publish", "assessment_campaign_results",
           "assessment_veto_register", "assessment_bonus_register", "assessment_flag_dismiss",
           "assessment_award_revoke", "assessment_submission_extend", "assessment_campaign_deadlines"]
AS_OFFICE = ["assessment_evidence_upload", "assessment_evidence_download", "assessment_evidence_delete",
             "assessment_veto_evidence_download"]


@pytest.fixture
def live_objects(live_server, transactional_db, region, users, token_for):
    """The ids each operation works on, and the headers of the city's administrator and of office CA1's head."""
    url = live_server.url
    stored = assessment_states.evidence(region)  # on office CA1's draft
    flag = assessment_states.flagged_elsewhere(region)  # office CB1, reviewed
    revocable = assessment_states.published(region)  # county A's own campaign, published
    veto = assessment_states.vetoed(region)  # on office CA1's draft, with a photo
    ids = {
        "assessment_campaign_publish": assessment_states.campaign(region).pk,
        "assessment_campaign_results": revocable.campaign_id,
        "assessment_veto_register": flag.submission_id,
        "assessment_bonus_register": flag.submission_id,
        "assessment_flag_dismiss": flag.pk,
        "assessment_award_revoke": revocable.pk,
        "assessment_submission_extend": stored.submission_id,  # office CA1's draft
        "assessment_campaign_deadlines": assessment_states.campaign(region).pk,
        "assessment_evidence_upload": stored.submission_id,
        "assessment_evidence_download": stored.pk,
        "assessment_evidence_delete": stored.pk,
        "assessment_veto_evidence_download": veto.pk,
    }
    headers = {name: {"Authorization": f"Bearer {token_for(users[name])}"} for name in ("city_admin", "office_head")}
    return url, ids, headers


@schema.include(operation_id=AS_CITY + AS_OFFICE).parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_city_and_office_operations_never_fail_on_real_objects(case, live_objects):
    url, ids, headers = live_objects
    operation_id = case.operation.definition.raw["operationId"]
    if isinstance(case.path_parameters, dict) and isinstance(case.path_parameters.get("id"), int):
        case.path_parameters["id"] = ids[operation_id]
    user = "city_admin" if operation_id in AS_CITY else "office_head"
    case.call_and_validate(base_url=url, headers=headers[user], checks=CHECKS)
