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
