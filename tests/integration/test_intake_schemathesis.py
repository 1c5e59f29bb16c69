"""Schemathesis against the served OpenAPI document: a real app on PostgreSQL and MinIO, through WSGI.

At least 200 generated examples per operation; no answer may be a server error, and every answer's status
and media type must be one the document declares, and its body must fit the declared schema (so the
document declares the problem+json answers it returns).
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.support.migrated import migrated

EXAMPLES = 200


@pytest.fixture(scope="module")
def module_database():
    from tests.support import servers
    name, url = servers.new_database()
    yield migrated("intake", url)
    servers.drop_database(name)


@pytest.fixture(scope="module")
def intake_app(module_database):
    return create_app(IntakeSettings(database_url=module_database, rate_limits_enabled=False,
                                     max_body_bytes=256 * 1024, log_level="warning"))


@pytest.fixture(scope="module")
def intake_schema(intake_app):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", intake_app)


WITH_INPUT = [("/api/v1/complaints", "POST"), ("/api/v1/complaints/{tracking_code}", "GET"),
              ("/api/v1/reference/regions", "GET"), ("/api/v1/batches", "POST"),
              ("/api/v1/batches/{batch_id}", "GET"), ("/api/v1/team/complaints", "GET"),
              ("/api/v1/reference/notices", "GET")]
WITHOUT_INPUT = [("/api/v1/reference/categories", "GET"), ("/api/v1/reference/platforms", "GET"),
                 ("/api/v1/reference/employer-levels", "GET"), ("/api/v1/batches/template.csv", "GET"),
                 ("/api/v1/batches/template.xlsx", "GET")]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_operations_below_are_all_the_document_has(intake_schema):
    served = {(result.ok().path, result.ok().method.upper()) for result in intake_schema.get_all_operations()}
    assert served == set(WITH_INPUT + WITHOUT_INPUT)


def run_examples(intake_schema, path, method, mode, examples) -> list[int]:
    statuses = []

    @given(case=intake_schema[path][method].as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def each(case):
        statuses.append(case.call_and_validate(checks=CHECKS).status_code)

    each()
    return statuses


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path,method", WITH_INPUT, ids=[f"{m} {p}" for p, m in WITH_INPUT])
def test_no_generated_request_gets_a_server_error_or_an_undeclared_answer(intake_schema, path, method, mode):
    statuses = run_examples(intake_schema, path, method, mode, EXAMPLES)
    assert len(statuses) >= EXAMPLES, f"only {len(statuses)} examples ran"
    print(f"{method} {path} {mode.value}: {len(statuses)} examples, statuses {sorted(set(statuses))}")


@pytest.mark.parametrize("path,method", WITHOUT_INPUT, ids=[f"{m} {p}" for p, m in WITHOUT_INPUT])
def test_operations_without_input_answer_their_one_request(intake_schema, path, method):
    """Nothing to vary: Hypothesis runs the one request there is, however many examples are asked for."""
    assert set(run_examples(intake_schema, path, method, GenerationMode.POSITIVE, EXAMPLES)) == {200}
