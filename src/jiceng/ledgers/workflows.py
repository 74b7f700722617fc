"""The ledgers' declared workflows (core.workflow): petitions, house-building applications, filings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jiceng.core.models import EventType
from jiceng.core.workflow import Input, Transition, Workflow

from .capabilities import CLOSE, KEEP
from .models import Filing, FilingState, HousingApproval, HousingState, Petition, PetitionState

P = PetitionState
PETITION = Workflow(
    "ledgers.petition", model=Petition, states=PetitionState, initial=P.RECEIVED, state_field="state",
    label=_("Petition"),
    transitions=[
        Transition("handle", source=(P.RECEIVED,), target=P.HANDLING, capability=KEEP, unit="unit",
                   label=_("Start handling"), event=EventType.UPDATE,
                   inputs=(Input("handling", required=True, label=_("Handling"), audit="handling"),)),
        Transition("reply", source=(P.HANDLING,), target=P.REPLIED, capability=KEEP, unit="unit",
                   label=_("Reply"), event=EventType.UPDATE,
                   inputs=(Input("reply", required=True, label=_("Reply"), audit="reply"),
                           Input("replied_on", required=True, label=_("Replied on"), audit="replied_on"))),
        Transition("close", source=(P.REPLIED,), target=P.CLOSED, capability=CLOSE, unit="unit",
                   label=_("Close"), event=EventType.UPDATE, stamp="closed_at",
                   inputs=(Input("satisfaction", required=True, label=_("Satisfaction"), audit="satisfaction"),)),
    ],
)

H = HousingState
HOUSING = Workflow(
    "ledgers.housing", model=HousingApproval, states=HousingState, initial=H.APPLIED, state_field="state",
    label=_("House-building application"),
    transitions=[
        Transition("pre_notice", source=(H.APPLIED,), target=H.PRE_NOTICE, capability=KEEP, unit="unit",
                   label=_("Pre-approval notice (批前公示)"), event=EventType.UPDATE,
                   inputs=(Input("pre_notice_on", required=True, label=_("Notice from"), audit="pre_notice_on"),)),
        Transition("approve", source=(H.PRE_NOTICE,), target=H.APPROVED, capability=CLOSE, unit="unit",
                   label=_("Approve"), event=EventType.UPDATE,
                   inputs=(Input("approved_on", required=True, label=_("Approved on"), audit="approved_on"),
                           Input("approval_number", required=True, label=_("Approval number"), audit="approval_number"))),
        Transition("publish", source=(H.APPROVED,), target=H.PUBLISHED, capability=KEEP, unit="unit",
                   label=_("Post-approval publication (批后公布)"), event=EventType.UPDATE,
                   inputs=(Input("published_on", required=True, label=_("Published on"), audit="published_on"),)),
        Transition("stake", source=(H.PUBLISHED,), target=H.STAKED, capability=KEEP, unit="unit",
                   label=_("Staked out (放线)"), event=EventType.UPDATE,
                   inputs=(Input("staked_on", required=True, label=_("Staked out on"), audit="staked_on"),)),
        Transition("complete", source=(H.STAKED,), target=H.COMPLETED, capability=KEEP, unit="unit",
                   label=_("Completion checked (竣工)"), event=EventType.UPDATE, stamp="closed_at",
                   inputs=(Input("completed_on", required=True, label=_("Checked on"), audit="completed_on"),)),
        Transition("refuse", source=(H.APPLIED, H.PRE_NOTICE), target=H.REFUSED, capability=CLOSE, unit="unit",
                   label=_("Refuse"), event=EventType.UPDATE, stamp="closed_at", reason=_("why it is refused"),
                   reason_field="notes"),
    ],
)

F = FilingState
FILING = Workflow(
    "ledgers.filing", model=Filing, states=FilingState, initial=F.RECEIVED, state_field="state",
    label=_("Filing"),
    transitions=[
        Transition("file", source=(F.RECEIVED,), target=F.FILED, capability=KEEP, unit="unit",
                   label=_("Filed"), event=EventType.UPDATE, stamp="closed_at",
                   inputs=(Input("filed_on", required=True, label=_("Filed on"), audit="filed_on"),
                           Input("filed_to", required=True, label=_("Filed with"), audit="filed_to"))),
    ],
)

ALL = (PETITION, HOUSING, FILING)
