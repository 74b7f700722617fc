import pytest
from django.utils import translation
from tests.factories import make_user


@pytest.fixture
def officer(region):
    return make_user("officer_a1", "enforcement_officer", region.office_a1)


@pytest.fixture
def officer_b(region):
    return make_user("officer_b1", "enforcement_officer", region.office_b1)


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English (the msgids); zh-hans is checked by tests/test_i18n.py."""
    with translation.override("en"):
        yield
