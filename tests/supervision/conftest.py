import datetime

import pytest
import time_machine

from tests.factories.supervision import employer, second_supervisor

CST = datetime.timezone(datetime.timedelta(hours=8))


class Calendar:
    """Frozen time that a test moves forward: `cal.to(date)`."""

    def __init__(self, traveller):
        self.traveller = traveller

    def to(self, day: datetime.date) -> datetime.date:
        self.traveller.move_to(datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=CST))
        return day


@pytest.fixture
def cal():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=CST), tick=False) as traveller:
        yield Calendar(traveller)


@pytest.fixture
def sup(people, ankang):
    """Hanbin's two labor-law supervisors, an employer, and the partners' users."""
    return {
        "lsup": people["labor_supervisor"],
        "lsup2": second_supervisor(ankang),
        "employer": employer(),
    }
