"""The statutory and administrative periods of the enforcement ledgers, as data (core.deadlines).

Working days follow the loaded holiday schedule (core.workdays); a year without one is refused.
"""

from jiceng.core.deadlines import DayUnit, Rule

# A clue is checked and answered within 15 working days of registration (the office's rule for 12336
# reports, "在规定期限内对违法线索进行调查处理", seed 001 3.2; the period is the office's choice).
CLUE_RESPONSE = Rule(15, DayUnit.WORKING, "线索登记")
# Initial check (初查) within 3 working days of discovery.
INITIAL_CHECK = Rule(3, DayUnit.WORKING, "发现")
# Statement and defence (陈述申辩) and a hearing request (听证) within 5 working days of the notice
# (自然资源行政处罚办法 第三十三、三十四条).
STATEMENT = Rule(5, DayUnit.WORKING, "告知书送达")
HEARING_REQUEST = Rule(5, DayUnit.WORKING, "告知书送达")
# The hearing is notified 7 days before it is held (行政处罚法 第六十四条).
HEARING_NOTICE_DAYS = 7
# Decision within 90 calendar days of filing (行政处罚法 第六十条).
DECISION = Rule(90, DayUnit.CALENDAR, "立案")
# Served within 7 days of the decision (第六十一条).
SERVICE = Rule(7, DayUnit.CALENDAR, "作出决定")
# Published on the website within 20 days of taking effect (seed 001 3.6).
PUBLICATION = Rule(20, DayUnit.CALENDAR, "决定生效")
# Payment within 15 days of service (第六十七条).
PAYMENT = Rule(15, DayUnit.CALENDAR, "决定送达")
# The monthly report is due by the 20th of the next month (seed 001 3.4).
MONTHLY_REPORT_DAY = 20
