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

HELD_BY = {
    Role.CITY_ADMIN: {AUDIT_ASSESSMENTS, PUBLISH},
    Role.COUNTY_REVIEWER: {REVIEW},
    Role.OFFICE_HEAD: {SELF_ASSESS},
    Role.OFFICE_STAFF: {SELF_ASSESS},
}
