"""The AB hand-over on the window's side: every open case of the absent A holder goes to B.

The window app owns cases and the one hand-over service (`window.services.hand_over`, which
records each hand-over); this module only chooses the cases.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiceng.core.scoping import holds


def hand_over_open(from_user, to_user, unit, *, actor, reason: str) -> int:
    """Hand `from_user`'s open cases in `unit`'s subtree to `to_user`; returns how many were handed over."""
    from jiceng.window import services as window_services
    from jiceng.window.capabilities import HAND_OVER
    from jiceng.window.models import Case

    cases = list(Case.objects.within(unit).filter(handler=from_user, state__in=Case.open_states,
                                                  closed_at__isnull=True).order_by("pk"))
    if not cases:
        return 0
    if actor is not None and not holds(actor, HAND_OVER, unit):
        raise ValidationError(_("%(n)d open cases of %(name)s must be handed over to the B holder, and you may "
                                "not hand cases over: ask the centre head.") % {"n": len(cases), "name": from_user})
    for case in cases:
        window_services.hand_over(case, to_user, actor=actor, reason=reason)
    return len(cases)
