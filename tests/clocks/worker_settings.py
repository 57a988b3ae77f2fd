"""Settings of the Celery worker + beat that test_real_worker.py starts as a subprocess.

The test settings, with a queue of the test's own (so that no other worker on a
shared Redis takes its tasks) and only the statutory-clock sweep in the beat schedule.
"""

import os

from mediation.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["CLOCKS_TEST_QUEUE"]
CELERY_BEAT_SCHEDULE = {"sweep-statutory-clocks": CELERY_BEAT_SCHEDULE["sweep-statutory-clocks"]}  # noqa: F405
