"""The demo accounts (accounts' demo contribution): one account per role, on the demo region's units.

Registered from AccountsConfig.ready() with core.demo, after org's region (the
accounts hold memberships at its units). Written through the services, so the
accounts are on the audit trail like any other data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from jiceng.core.capabilities import Role
from jiceng.org.models import Unit

from . import services
from .models import User

DEMO_PASSWORD = "Jiceng#2026"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    unit_code: str


ACCOUNTS = [
    DemoAccount("city", "市局 林建国", Role.CITY_ADMIN, "331000"),
    DemoAccount("county", "椒江分局 陈晓东", Role.COUNTY_REVIEWER, "331002"),
    DemoAccount("county2", "黄岩分局 王海燕", Role.COUNTY_REVIEWER, "331003"),
    DemoAccount("head", "海门所 张志宏", Role.OFFICE_HEAD, "331002S01"),
    DemoAccount("staff", "海门所 李佳怡", Role.OFFICE_STAFF, "331002S01"),
    DemoAccount("window", "章安街道 周雪梅", Role.WINDOW_STAFF, "331002007C"),
    DemoAccount("grid", "东山村网格 吴浩宇", Role.GRID_WORKER, "331002007201G1"),
    DemoAccount("sysadmin", "系统管理员 赵文博", Role.SYSTEM_ADMIN, "331000"),
    DemoAccount("secadmin", "安全管理员 孙秀英", Role.SECURITY_ADMIN, "331000"),
    DemoAccount("auditor", "审计管理员 郑春晖", Role.AUDIT_ADMIN, "331000"),
]


def accounts_loaded() -> bool:
    return User.objects.filter(username=ACCOUNTS[0].username).exists()


@transaction.atomic
def build_accounts() -> list[DemoAccount]:
    for account in ACCOUNTS:
        user = services.user_create(
            actor=None,
            username=account.username,
            full_name=account.full_name,
            password=DEMO_PASSWORD,
            must_change_password=False,
        )
        services.membership_grant(actor=None, user=user, unit=Unit.objects.get(code=account.unit_code), role=account.role)
    return ACCOUNTS


def summary() -> list[str]:
    """What `jiceng demo` prints after every run: the accounts and their password."""
    lines = [f"演示账号 / demo accounts (password 密码: {DEMO_PASSWORD})"]
    lines += [f"  {account.username:<10} {account.role:<16} {account.full_name}" for account in ACCOUNTS]
    return lines
