"""The kinds of item rule, as the small integers the compiled arrays and the scorer share.

Its own module so that the compiled scheme (data) and the scorer (engine) both
depend on it without depending on each other at import time.
"""

from __future__ import annotations

MANUAL, CHECK, THRESHOLD, LINEAR, PER_OCCURRENCE = range(5)
KINDS = {"manual": MANUAL, "check": CHECK, "threshold": THRESHOLD, "linear": LINEAR,
         "per_occurrence": PER_OCCURRENCE}
