"""The escalation of seed 002 (5. 严格执行工作纪律), pure.

对违反上述行为规定一次的, 给予口头警告; 违反两次的, 给予通报批评; 违反三次或被上级作风检查机关
暗访通报批评或媒体曝光的人员, 给予纪律处分或调离岗位.

Counting period: the calendar year of the breach. A breach counts once confirmed; a dismissed
one does not count. The measure is proposed when the breach is recorded and proposed again, from
the count as it is then, when a person confirms it.
"""

from __future__ import annotations

WARNING = "warning"
NOTICE = "notice"
DISCIPLINE = "discipline"


def measure_for(earlier_confirmed: int, exposed: bool) -> str:
    """The measure for a breach after `earlier_confirmed` confirmed breaches in the same year."""
    if exposed:
        return DISCIPLINE
    nth = earlier_confirmed + 1
    if nth == 1:
        return WARNING
    if nth == 2:
        return NOTICE
    return DISCIPLINE


def late(signed_in_hour: int, signed_in_minute: int, start=(9, 0)) -> bool:
    """朝九晚五: signed in after 09:00."""
    return (signed_in_hour, signed_in_minute) > start


def early(signed_out_hour: int, signed_out_minute: int, end=(17, 0)) -> bool:
    """Signed out before 17:00."""
    return (signed_out_hour, signed_out_minute) < end
