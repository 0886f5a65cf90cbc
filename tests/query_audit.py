"""Fail a test when one request runs the same SQL statement twice.

``AuditedClient`` is Django's test client with every request watched: the
statements a request sends are normalised (whitespace; the generated names of
savepoints) and compared with their parameters, so a second read of the very
same rows fails the request at once, naming the statement. Transaction control
(BEGIN, COMMIT, savepoints) is not data and may repeat.
"""

import re
from collections import Counter

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

TRANSACTION_CONTROL = re.compile(
    r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I
)
SAVEPOINT_NAME = re.compile(r'"s\d+_x\d+"')
SPACES = re.compile(r"\s+")


def normalised(sql: str) -> str:
    return SAVEPOINT_NAME.sub('"savepoint"', SPACES.sub(" ", sql.strip()))


def repeated_queries(queries) -> dict[str, int]:
    """Return {statement: times} for each data statement sent more than once."""
    counts = Counter(
        normalised(query["sql"])
        for query in queries
        if not TRANSACTION_CONTROL.match(query["sql"].strip())
    )
    return {sql: times for sql, times in counts.items() if times > 1}


def assert_no_repeated_queries(queries, what: str) -> None:
    repeats = repeated_queries(queries)
    if repeats:
        listing = "\n".join(f"  {times}× {sql}" for sql, times in repeats.items())
        raise AssertionError(f"{what} ran the same SQL more than once:\n{listing}")


class AuditedClient(Client):
    """The test client; each request fails if it repeats a statement."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audited = []

    def request(self, **request):
        with CaptureQueriesContext(connection) as captured:
            response = super().request(**request)
        what = f"{request.get('REQUEST_METHOD', 'GET')} {request.get('PATH_INFO', '')}"
        assert_no_repeated_queries(captured.captured_queries, what)
        self.audited.append((what, len(captured.captured_queries)))
        return response
