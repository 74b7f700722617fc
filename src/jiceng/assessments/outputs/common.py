"""What the outputs share: which submissions a reader's documents and charts cover, and how results read.

Score sheets and dashboards cover the offices in the reader's own subtree
(core.scoping, "view" on the unit's path): a county sees its offices, the city
all of them. The workflow's wider read scope (a county reading the offices it
audits in cross-check mode) opens those submissions one by one, but does not
put another county's offices into this county's sheets and charts.
"""

from __future__ import annotations

from decimal import Decimal

from jiceng.core.capabilities import VIEW
from jiceng.org.models import Unit

from ..models import Submission

RESULT_LABELS = {True: "达标", False: "未达标"}
REVOKED_LABEL = "已摘牌"


def own_submissions(user, campaign):
    """The campaign's submissions of offices in the user's subtree; every one for the system (user None)."""
    qs = Submission.objects.filter(campaign=campaign)
    if user is None:
        return qs
    # The unit's own scope only, not the submission's wider read rule (see above).
    return qs.filter(unit__in=Unit.objects.restrict(user, VIEW))


def number(value):
    """A score as a plain int or float (JSON and spreadsheets), None kept."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def result_label(passed, revoked: bool = False) -> str:
    if revoked:
        return REVOKED_LABEL
    return RESULT_LABELS.get(passed, "")

