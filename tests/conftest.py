"""Named test users and a small region shared by the whole suite.

The region: one city with two counties (A and B); county A has a central
office and a township office plus a township with a village and a grid;
county B has one office. Users (like healthchecks' Alice/Bob/Charlie):
a city admin, a county-A reviewer, the head of office A1, the head of
office B1 (the sibling county), and one of each remaining role.
"""

from __future__ import annotations

import pytest

from factories import PASSWORD, Region, make_staff, make_user, region_tree  # noqa: F401  (re-exported for fixtures)


def _install_test_ledger_app() -> None:
    """Install tests/ledger_app (a real ledger table, core.ledger.LedgerRow) for the test run only.

    pytest-django has already set Django up when this file is read, so the app registry is
    rebuilt with the app added (as override_settings(INSTALLED_APPS=...) does); the test
    database is created after this, so its migration runs on SQLite and PostgreSQL alike.
    """
    from django.apps import apps
    from django.conf import settings

    if "ledger_app" in settings.INSTALLED_APPS:
        return
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "ledger_app"]
    if apps.ready:
        apps.app_configs = {}
        apps.apps_ready = apps.models_ready = apps.loading = apps.ready = False
        apps.clear_cache()
        apps.populate(settings.INSTALLED_APPS)


_install_test_ledger_app()


@pytest.fixture(scope="session", autouse=True)
def _cheaper_argon2():
    """Where Argon2 still hashes (demo accounts built once per package, production-hasher tests), the same
    hasher and the same log-in code run with one pass and little memory instead of half a second per hash."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Argon2PasswordHasher, "time_cost", 1)
        patch.setattr(Argon2PasswordHasher, "memory_cost", 1024)
        patch.setattr(Argon2PasswordHasher, "parallelism", 1)
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; the suite hashes hundreds of passwords, so it uses a fast hasher.

    Argon2 stays in the list (existing hashes still verify) and
    tests/accounts/test_passwords.py checks that production hashes with it.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def _own_audit_checkpoint_log(settings, tmp_path):
    """Each test its own checkpoint log: the log lives outside the database, so a checkpoint written by
    one test (the daily runner runs core's audit_checkpoint) would outlive that test's rolled-back or
    flushed rows and make the next test's `audit verify` report them as truncated."""
    settings.AUDIT_CHECKPOINT_LOG = tmp_path / "audit_checkpoints.log"


@pytest.fixture
def region(db) -> Region:
    return region_tree()


@pytest.fixture
def users(region):
    """One user per role, plus the head of an office in the sibling county."""
    return {
        "city_admin": make_user("city_admin", "city_admin", region.city),
        "county_reviewer": make_user("county_reviewer", "county_reviewer", region.county_a),
        "office_head": make_user("office_head", "office_head", region.office_a1),
        "office_staff": make_user("office_staff", "office_staff", region.office_a1),
        "window_staff": make_user("window_staff", "window_staff", region.township_a),
        "grid_worker": make_user("grid_worker", "grid_worker", region.grid_a),
        "system_admin": make_user("system_admin", "system_admin", region.city),
        "security_admin": make_user("security_admin", "security_admin", region.city),
        "audit_admin": make_user("audit_admin", "audit_admin", region.city),
        "other_county_head": make_user("other_county_head", "office_head", region.office_b1),
        "no_role": make_user("no_role"),
    }


@pytest.fixture
def client_for(client):
    """Log a user in (through the real log-in view, so axes and the audit run) and return the client."""

    def login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
