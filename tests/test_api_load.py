"""`POST /load`: admins only, a background job followed at `GET /load/{job}` (state kept in the graph,
so a second app over the same database answers for it), audited; rejects files mode 600 and free of
the server's secrets."""

from __future__ import annotations

import shutil
import stat
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from graph.identity import server_secret
from graph.settings import Settings
from graph.store import Store
from tests.api_fixtures import HEADERS, api_settings
from tests.conftest import SHARED_DATA

SAMPLE = SHARED_DATA / "tipo-trademarks" / "TmarkAppl_100000001.xml"
WAIT_S = 300  # an upper bound for a job to finish on a loaded machine, not a speed target


def _settings(tmp_path: Path) -> Settings:
    inside = tmp_path / "import"
    inside.mkdir()
    return api_settings(import_dir=inside, local_data_dir=tmp_path / "neo4j")


def _finished(client: TestClient, job: str) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_S
    while True:
        answer = client.get(f"/load/{job}", headers=HEADERS["admin"])
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        if body["state"] in ("done", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def test_load_is_a_job_admin_only_audited_and_answered_by_any_worker(store: Store, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    shutil.copy(SAMPLE, settings.import_dir / SAMPLE.name)
    body = {"format": "tipo-xml", "paths": [SAMPLE.name]}
    with TestClient(create_app(settings, store=store)) as client:
        assert client.post("/load", json=body, headers=HEADERS["analyst"]).status_code == 403
        missing = client.post("/load", json={"format": "tipo-xml", "paths": ["nope.xml"]}, headers=HEADERS["admin"])
        assert missing.status_code == 422 and "no such file" in missing.json()["error"]["message"]
        unknown = client.post("/load", json={"format": "nope", "paths": [SAMPLE.name]}, headers=HEADERS["admin"])
        assert unknown.status_code == 422
        started = client.post("/load", json=body, headers=HEADERS["admin"])
        assert started.status_code == 202, started.text
        job = started.json()["job"]
        assert started.json()["status"] == f"/load/{job}"
        assert client.get(f"/load/{job}", headers=HEADERS["analyst"]).status_code == 403
        assert client.get("/load/load-job:none", headers=HEADERS["admin"]).status_code == 404
        done = _finished(client, job)
        again = _finished(client, client.post("/load", json=body, headers=HEADERS["admin"]).json()["job"])
        audit = client.get("/audit", headers=HEADERS["admin"]).json()["items"]
    assert done["state"] == "done", done
    total = done["summary"]["total"]
    assert total["loaded"] > 0 and total["read"] == total["loaded"] + total["unchanged"] + total["rejected"]
    assert again["summary"]["total"]["loaded"] == 0  # idempotent
    assert again["summary"]["total"]["unchanged"] == total["loaded"] + total["unchanged"]
    assert {(e["action"], e["target"]) for e in audit} >= {("load_started", job), ("load", job)}
    with TestClient(create_app(settings, store=store)) as other:  # another worker: the graph answers
        assert other.get(f"/load/{job}", headers=HEADERS["admin"]).json()["summary"] == done["summary"]
    assert stat.S_IMODE(Path(done["rejects_file"]).stat().st_mode) == 0o600


def test_rejects_file_is_private_and_holds_no_secret(store: Store, tmp_path: Path) -> None:
    """A row quoting the server secret and an API key is rejected; the file says why but holds neither."""
    settings = _settings(tmp_path)
    secret = server_secret().decode()
    api_key = next(iter(settings.api_keys))
    data = settings.import_dir / "set"
    data.mkdir()
    (data / "subjects.csv").write_text(
        "kind,uid,name,birth_date\n"
        f"company,test:ok,Fine Co,\n"
        f"person,test:p1,{secret} {api_key},not-a-date\n"
        f"nonsense-{secret},test:x,x,\n",
        encoding="utf-8",
    )
    with TestClient(create_app(settings, store=store)) as client:
        job = client.post("/load", json={"format": "csv", "paths": ["set"]}, headers=HEADERS["admin"]).json()["job"]
        done = _finished(client, job)
    assert done["state"] == "done" and done["summary"]["total"]["rejected"] == 2, done
    rejects = Path(done["rejects_file"])
    text = rejects.read_text(encoding="utf-8")
    assert text.count("\n") == 2 and "[redacted]" in text
    assert secret not in text and api_key not in text
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
