"""Schemathesis over every endpoint of the three services as `ptl up` runs them: no input gives a server error.

Requests carry `ptl up`'s admin key, so the fuzzing reaches past authentication into every route's body and
parameters (uploads, subscriptions, confirmations). Examples per operation are few, to keep the run near 30 s.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from services.ptl.embedded import EmbeddedSystem, bearer
from tests.e2e.conftest import start_running
from tests.helpers.smtp_server import SmtpSink

CALLS: dict[str, int] = {}  # requests made per service
FUZZ = settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedSystem]:
    with SmtpSink() as smtp:
        running = start_running(Path(tmp_path_factory.mktemp("fuzz")) / "data", smtp)
        try:
            yield running
        finally:
            running.stop()


def fuzz(system: EmbeddedSystem, service: str) -> list[str]:
    """Every operation of the service's OpenAPI document, fuzzed; the failures, with a curl line each."""
    schema = schemathesis.openapi.from_url(f"{system.url(service)}/openapi.json")
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, f"{service} documents no operation"
    for operation in operations:

        @given(case=operation.as_strategy())
        @FUZZ
        def run(case: schemathesis.Case) -> None:
            CALLS[service] = CALLS.get(service, 0) + 1
            case.call_and_validate(headers=bearer(system.api_key), checks=[not_a_server_error], timeout=30)

        try:
            run()
        except Exception as exc:  # the check's report names the request
            failures.append(f"{operation.label}: {exc}"[:2000])
    return failures


@pytest.mark.parametrize("service", ["ingest", "timeline", "notify"])
def test_no_input_gives_a_server_error(system: EmbeddedSystem, service: str) -> None:
    assert fuzz(system, service) == []
    assert CALLS[service] >= 10, CALLS  # the requests were made
