"""The legal scenario suite (issue 8): matters stepped through their entry points with frozen time."""

from tests.supervision.conftest import cal, sup  # noqa: F401  (frozen time from 2026-03-02; the supervisors)
