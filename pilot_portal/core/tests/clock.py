"""The frozen clock of the tests that read the time: ``timezone.now()``, ``localdate()``, ``date.today()``."""

import datetime as dt
from zoneinfo import ZoneInfo

#: Tuesday 15/7/2025 09:30 in Vietnam: a working day in office hours, after every fixed date of the tests' pilot
#: data (June 2025), and far from midnight in both Vietnam and UTC.
FROZEN_NOW = dt.datetime(2025, 7, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
