"""Fuzzing: schemathesis generates requests from the app's own OpenAPI schema (valid ones and
invalid ones) and sends them to a live server over a socket; no response may be a 5xx, and
every response must match the schema its operation documents.

The server answers extractively (`RAG_ANSWER_MODE=extractive`) so the LLM stays out of it;
writes carry a valid API key so that generated articles really are validated and ingested.
`FUZZ_EXAMPLES` (default 25 per operation and mode, about 300 requests) bounds the run.
Hypothesis drives each operation directly (schemathesis' pytest loader predates pytest 9).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.app import create_app
from rag.settings import Settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
CHECKS = [not_a_server_error, response_schema_conformance]
SEEN: Counter[str] = Counter()

# The schema the live server serves: the same app, built without starting its runtime.
SCHEMA = schemathesis.openapi.from_dict(create_app(Settings(api_keys="x")).openapi())
OPERATIONS = {
    f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in SCHEMA.get_all_operations())
}


# Invalid input exists only where there is a body: any string is a valid path parameter.
CASES = [(label, GenerationMode.POSITIVE) for label in sorted(OPERATIONS)] + [
    (label, GenerationMode.NEGATIVE) for label, op in sorted(OPERATIONS.items()) if len(op.body)
]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{lbl} {m.value}" for lbl, m in CASES])
def test_no_server_errors_and_responses_match_the_schema(hardened, label, mode):
    operation = OPERATIONS[label]
    auth = {"Authorization": f"Bearer {hardened.keys[0]}"}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def fuzz(case):
        response = case.call_and_validate(
            base_url=hardened.url, headers=auth, checks=CHECKS, timeout=60
        )
        SEEN[f"{response.status_code // 100}xx"] += 1
        SEEN["requests"] += 1

    fuzz()


def test_the_fuzzer_really_ran():
    print(f"schemathesis: {len(OPERATIONS)} operations, responses {dict(SEEN)}")
    assert SEEN["requests"] >= 10 * len(OPERATIONS) and SEEN["5xx"] == 0
