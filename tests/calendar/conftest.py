"""The calendar tests need neither Django nor a database."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    """Overrides the suite-wide autouse fixture of tests/conftest.py, which needs pytest-django's
    ``settings``: these tests must also run with ``-p no:django``."""
