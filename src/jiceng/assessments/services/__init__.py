"""Writes of the assessment workflow: one transaction and one audit record each.

Every function is keyword-only and takes the acting user (`actor=None` only for
the command line and the demo loader, which act as "system"). Scope is checked
through the Submission query set (core.scoping): an office writes only its own
submission, a county only the submissions it is the reviewing unit of, the
auditing unit only what it audits, the city bureau publishes.

Rules of the record (docs/assessments.md):
- a change carries the submission `version` it was based on; a stale one is
  refused with the current values (optimistic locking);
- after submission every change needs a reason: the office edits a returned
  submission only with a reason; a reviewer's score that differs from the
  level below needs a comment on that item, and re-scoring an item already
  scored at the same level needs a reason for the save; the city's overrides,
  rejections of no-duty claims, returns and revocations always need one;
- the office's submission closes with its deadline (deadlines.py): a draft
  after the self-evaluation deadline (or the city's extension), a returned
  submission after the county review deadline (or the city's extension, up to
  the audit deadline). Saving stays open, and the
  county's and the city's deadlines block nobody. Like scope, deadlines bind
  people: `actor=None` (the command line, the demo loader, a load of a past
  campaign's records) is not refused.

The package splits the writes by concern: campaigns (start, stage deadlines),
submissions (the office's draft and submit, the city's extension), evidence
(the office's files), reviews (the county's review and the audit), outcomes
(vetoes, bonuses, publication, revocation); _common holds what they share
(scope, the row lock and version, reasons, marks). Callers keep importing the
package: `from jiceng.assessments import services; services.submission_submit(...)`.
"""

from ._common import (
    DECLARATION_FIELDS,
    OFFICE_EDITABLE,
)
from .campaign_admin import (
    campaign_cancel,
    campaign_create_once,
    cancel_refusal,
)
from .campaigns import (
    DEADLINE_FIELDS,
    campaign_change_deadlines,
    campaign_create,
)
from .events import (
    event_register,
    flag_confirm,
    reward_list,
)
from .evidence import (
    evidence_add,
    evidence_delete,
)
from .outcomes import (
    award_revoke,
    bonus_register,
    campaign_publish,
    final_sheet,
    veto_register,
)
from .reviews import (
    audit_save,
    claim_decide,
    flag_dismiss,
    review_save,
    submission_audit,
    submission_forward,
    submission_return,
    submission_set_pilot,
)
from .submissions import (
    submission_extend_deadline,
    submission_missing,
    submission_save_draft,
    submission_submit,
)

__all__ = [
    "campaign_cancel",
    "campaign_create_once",
    "cancel_refusal",
    "DECLARATION_FIELDS",
    "OFFICE_EDITABLE",
    "campaign_create",
    "DEADLINE_FIELDS",
    "campaign_change_deadlines",
    "submission_save_draft",
    "submission_missing",
    "submission_submit",
    "submission_extend_deadline",
    "evidence_add",
    "evidence_delete",
    "submission_set_pilot",
    "review_save",
    "submission_return",
    "claim_decide",
    "submission_forward",
    "audit_save",
    "submission_audit",
    "flag_dismiss",
    "veto_register",
    "bonus_register",
    "final_sheet",
    "campaign_publish",
    "award_revoke",
    "event_register",
    "flag_confirm",
    "reward_list",
]
