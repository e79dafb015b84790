"""A small hand-built graph and API clients for the API tests (inline Cypher is fine in tests)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from credit.register import run as publication_run
from graph.settings import Settings, get_settings
from graph.store import Store

KEYS = {"inv-key": "investigator", "ana-key": "analyst", "adm-key": "admin"}
HEADERS = {role: {"X-API-Key": key} for key, role in KEYS.items()}

# A ringleader company with a violation in force, a clean company it holds 60% of, the person who is
# legal rep of both (with an ID number, phone and email), a second company sharing that phone, and an
# unrelated clean company. Names in Chinese and Latin, so full-text search is tested on both.
GRAPH = """
CREATE (ring:Subject:Company {uid: 'uscc:RING', name: '华为测试科技有限公司', name_norm: '华为测试科技有限公司',
        aliases: ['Ring Tech Co'], credit_code: '91110108MA01ABCD1X', source: 'test', source_ref: 't1'})
CREATE (held:Subject:Company {uid: 'uscc:HELD', name: 'Held Widgets Ltd', name_norm: 'held widgets ltd',
        source: 'test', source_ref: 't2'})
CREATE (p:Subject:Person {uid: 'person:P1', name: '张三丰', name_norm: '张三丰', id_number: '110101199001011234',
        birth_date: date('1990-01-01'), source: 'test', source_ref: 't3'})
CREATE (twin:Subject:Company {uid: 'uscc:TWIN', name: 'Twin Phone Trading', name_norm: 'twin phone trading',
        source: 'test', source_ref: 't4'})
CREATE (clean:Subject:Company {uid: 'uscc:CLEAN', name: 'Clean Optics GmbH', name_norm: 'clean optics gmbh',
        source: 'test', source_ref: 't5'})
CREATE (ag:Subject:Company:Agency {uid: 'agency:A1', name: 'Fast IP Agency', name_norm: 'fast ip agency',
        source: 'test', source_ref: 't6'})
CREATE (ph:Phone {uid: 'phone:01088881234', value: '01088881234', source: 'test', source_ref: 't7'})
CREATE (em:Email {uid: 'email:zhang@example.com', value: 'zhang@example.com', source: 'test', source_ref: 't8'})
CREATE (v:Violation {uid: 'violation:V1', behaviour_code: 'CN_MALICIOUS_TM', decided_on: date('2025-06-01'),
        status: 'in_force', authority: 'CNIPA', source: 'test', source_ref: 't9'})
CREATE (tm:Trademark {uid: 'tm:1', number: '1', name: 'RINGMARK', source: 'test', source_ref: 't10'})
CREATE (ring)-[:COMMITTED]->(v), (v)-[:CONCERNS]->(tm), (ring)-[:APPLICANT_OF]->(tm), (ag)-[:REPRESENTS]->(tm)
CREATE (ring)-[:SHAREHOLDER_OF {ratio: 0.6}]->(held)
CREATE (p)-[:LEGAL_REP_OF]->(ring), (p)-[:LEGAL_REP_OF]->(held)
CREATE (p)-[:USES_PHONE]->(ph), (twin)-[:USES_PHONE]->(ph), (p)-[:USES_EMAIL]->(em)
CREATE (a1:Assessment {uid: 'assessment:1', level: 'D', score: 40.0, as_of: date('2025-02-01'),
        policy_version: 't', created_at: datetime('2025-02-01T00:00:00Z')})-[:OF]->(ring)
CREATE (a0:Assessment {uid: 'assessment:0', level: 'B', score: 85.0, as_of: date('2024-02-01'),
        policy_version: 't', created_at: datetime('2024-02-01T00:00:00Z')})-[:OF]->(ring)
CREATE (a2:Assessment {uid: 'assessment:2', level: 'A', score: 95.0, as_of: date('2025-02-01'),
        policy_version: 't', created_at: datetime('2025-02-01T00:00:00Z')})-[:OF]->(clean)
"""


def api_settings(**update: object) -> Settings:
    return get_settings().model_copy(update={"api_keys": KEYS, "batch_limit": 5, **update})


@pytest.fixture
def graph(store: Store) -> Store:
    """The hand-built graph above, on the session's Neo4j, its records published as the daily run does."""
    store.write(GRAPH)
    publication_run(store, date.today())
    store.run_autocommit("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()")
    return store


@pytest.fixture
def client(graph: Store) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings(), store=graph)) as test_client:
        yield test_client
