import pytest


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    """The service centre's rules hang on office hours, working days and the current month and day: every test here
    runs on the frozen clock (``pilot_portal.core.tests.clock.FROZEN_NOW``), except the browser tests (Chromium
    keeps the real clock, see ``frozen_now``)."""
    if request.node.get_closest_marker("browser"):
        yield None
    else:
        yield request.getfixturevalue("frozen_now")


# The citizen's notices: the SMS outbox of the file backend, a real HTTP SMS gateway on 127.0.0.1.
from .citizen_fixtures import gateway, http_gateway, sms_outbox  # noqa: E402, F401
