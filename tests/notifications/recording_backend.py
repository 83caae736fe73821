"""A mail backend for worker processes started by the tests: it writes every hand-over to a
log file (``begin`` before, ``done`` after) and can stall on the Nth message, so a test can
kill or stop the worker while that message is in flight.

TRAZA_TEST_MAIL_LOG     the log file (one line per event, flushed at once)
TRAZA_TEST_MAIL_STALL   stall on this message of the process (1-based; unset: never)
TRAZA_TEST_MAIL_STALL_SECONDS   how long to stall (default one hour)
TRAZA_TEST_MAIL_DELAY   seconds every message takes (default 0)
"""

import os
import time

from django.core.mail.backends.base import BaseEmailBackend

_handed = 0


def _log(line: str) -> None:
    with open(os.environ["TRAZA_TEST_MAIL_LOG"], "a", encoding="utf-8") as log:
        log.write(line + "\n")
        log.flush()
        os.fsync(log.fileno())


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        global _handed
        for email in email_messages:
            _handed += 1
            message_id = email.extra_headers["Message-ID"]
            _log(f"begin {os.getpid()} {message_id}")
            time.sleep(float(os.environ.get("TRAZA_TEST_MAIL_DELAY", "0")))
            if str(_handed) == os.environ.get("TRAZA_TEST_MAIL_STALL"):
                time.sleep(float(os.environ.get("TRAZA_TEST_MAIL_STALL_SECONDS", "3600")))
            _log(f"done {os.getpid()} {message_id}")
        return len(email_messages)
