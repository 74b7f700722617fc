"""The grid app's capabilities (registered from GridConfig.ready()).

Seed 004 (灵武市村(社区)网格员考核管理办法): the worker records (第十九、二十条), the community
director signs the logs off (第二十条) and holds the monthly assessment (第三十一条), the township
(综治中心, the grid administrator) manages workers, grades quarters and decides dismissals
(第六、三十一、三十五条), the city grades the year (第三十一条).
"""

from jiceng.core.capabilities import Role

# Log visits, services, patrols and matters in one's own grid (and the AB partner's while covering).
RECORD = "grid.record"
# Residents under 社区服刑 / 戒毒 / 刑满释放: needed on top of being in scope (issue 15).
SENSITIVE = "grid.sensitive"
# Seeing a resident's ID number or phone in full, with a reason, audited.
UNMASK_RESIDENT = "grid.unmask"
# Export the resident register (audited, the file names its exporter).
EXPORT = "grid.export"
# Grid profiles, workers, AB pairs, the talent pool, resident imports, surveys (township 综治中心).
MANAGE = "grid.manage"
# Sign the weekly and monthly logs off, the monthly assessment, the village's opinion on a dismissal.
SIGN_OFF = "grid.sign_off"
# The quarterly grade (township, with the 综治中心) and dismissal decisions.
GRADE_QUARTER = "grid.grade_quarter"
# The annual grade (市民政局 with the township): the city administrator.
GRADE_YEAR = "grid.grade_year"

HELD_BY = {
    Role.GRID_WORKER: {RECORD, SENSITIVE},
    Role.COMMUNITY_DIRECTOR: {SIGN_OFF, EXPORT},
    Role.GRID_ADMIN: {MANAGE, GRADE_QUARTER, SENSITIVE, UNMASK_RESIDENT, EXPORT},
    Role.CITY_ADMIN: {GRADE_YEAR, MANAGE},
}
