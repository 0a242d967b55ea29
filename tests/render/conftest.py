from __future__ import annotations

import pytest
from reports import make_report

from bot.core.model import Report


@pytest.fixture
def report() -> Report:
    return make_report()
