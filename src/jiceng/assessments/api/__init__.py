"""/api/v1 endpoints of the assessment workflow: thin, scoped like the web pages, writing through assessments.services.

Reads go through selectors (campaigns_for, submission_or_404). A write first
finds the submission among those the caller may see (else 404, recorded), then
checks the caller may do *this* with it (else 403: seeing it is no leak, and a
read-only integration learns what is wrong); the service checks scope again.
A stale `expected_version` answers 409 with the values stored now.

The city's operations (campaigns, deadlines and extensions, vetoes, bonuses,
flags, publication, revocation) need the caller to run the campaign (else
403); evidence files
travel as multipart/form-data and are fetched from their own path, scoped
through their submission (a veto's evidence file too, from its veto's path). Writes that the web makes without a version
(pilot, evidence, the city's) take none here either: their services check
their own preconditions under the submission's lock.

Deadline facts (a submission's last day to submit, whether submitting is
closed, who is overdue) come from selectors/deadlines.py; nothing here
decides them.

The endpoints live by concern in this package; `router` is the one router
they all register on (jiceng.api.v1 mounts it). The modules are imported in
the order below, which is the order of their paths in the OpenAPI schema.
"""

from importlib import import_module

from ._common import router

MODULES = ["campaigns", "submissions", "reviews", "evidence", "outcomes", "extensions", "publication"]
for _name in MODULES:
    import_module(f"{__name__}.{_name}")

__all__ = ["router"]
