"""The org app's capabilities (registered from OrgConfig.ready())."""

from jiceng.core.capabilities import Role

# Structure of the unit tree (create, rename, move units).
STRUCTURE = "structure"
# Seeing one person's ID number or phone in full, with a reason, audited (core.pii).
# Held by the roles that already answer for a subtree's staff records (city
# administrator, county reviewer, office head); clerks, window staff and grid
# workers see masked values only, and the separated administrators hold no
# business data rights at all, so none of them can unmask.
UNMASK = "pii.unmask"

HELD_BY = {
    Role.CITY_ADMIN: {STRUCTURE, UNMASK},
    Role.COUNTY_REVIEWER: {UNMASK},
    Role.OFFICE_HEAD: {UNMASK},
}
