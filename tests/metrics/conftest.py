import pytest

from assessments.conftest import _media, more_users  # noqa: F401  (the assessments fixtures, for test_self_evaluation)


@pytest.fixture
def isolated_indicators():
    """The registry as it was before the test (tests register their own indicators on tests/ledger_app)."""
    from jiceng.metrics import indicators

    saved = indicators.snapshot()
    yield indicators
    indicators.restore(saved)
