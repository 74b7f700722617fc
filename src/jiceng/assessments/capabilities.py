"""The assessments app's capabilities (registered from AssessmentsConfig.ready()).

Each is a scoped action like VIEW: it applies to the subtree of the unit where
the role is held. Office staff fill in their office's self-evaluation
(SELF_ASSESS); county reviewers review the offices they are the reviewing unit
of, and audit another county's offices in cross-check mode (REVIEW); the city
administrator audits (AUDIT_ASSESSMENTS) and creates campaigns, registers
vetoes and bonuses and publishes (PUBLISH).
"""

from jiceng.core.capabilities import Role

SELF_ASSESS = "assessment.self"
REVIEW = "assessment.review"
AUDIT_ASSESSMENTS = "assessment.audit"
PUBLISH = "assessment.publish"
# County bureaus as subjects (seed 001): the county fills in its own self-evaluation, the city's
# assessment group (考评小组) scores it. Scoped on Submission.bureau / Submission.group, which are
# set only for a county's own submission, so they never open an office's.
BUREAU_SELF = "assessment.bureau_self"
GROUP_SCORE = "assessment.group_score"

HELD_BY = {
    Role.CITY_ADMIN: {AUDIT_ASSESSMENTS, PUBLISH, GROUP_SCORE},
    Role.COUNTY_REVIEWER: {REVIEW, BUREAU_SELF},
    Role.OFFICE_HEAD: {SELF_ASSESS},
    Role.OFFICE_STAFF: {SELF_ASSESS},
}
