import pytest


@pytest.fixture
def isolated_indicators():
    """The registry as it was before the test (tests register their own indicators on tests/ledger_app)."""
    from jiceng.metrics import indicators

    saved = indicators.snapshot()
    yield indicators
    indicators.restore(saved)
