"""The local Neo4j: Neo4j 5.26 from Maven Central, started by our own small JVM launcher.

There is no Docker engine on our machines, so `pom.xml` here pulls Neo4j's jars and
`LocalNeo4j.java` starts a `DatabaseManagementService` on a data folder with Bolt on 127.0.0.1.
This module builds the classpath once, starts the JVM as a detached child, waits until Bolt
answers, keeps a state file in the data folder, and stops it on request. Several instances run
side by side on different data folders and ports.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import psutil
from neo4j import GraphDatabase
from neo4j.exceptions import ServiceUnavailable
from pydantic import BaseModel

from graph.settings import Settings, get_settings

PROJECT_DIR = Path(__file__).resolve().parent
TARGET_DIR = PROJECT_DIR / "target"
CLASSPATH_FILE = TARGET_DIR / "classpath.txt"
LAUNCHER_CLASS = "ipcredit.LocalNeo4j"
STATE_FILE = "ipcredit-local.json"
LOG_FILE = "launcher.log"

# The flags Neo4j's own launcher passes on Java 17 (netty and the page cache need them).
JAVA_17_FLAGS: tuple[str, ...] = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-Djdk.tls.ephemeralDHKeySize=2048",
)


class LocalNeo4jError(RuntimeError):
    """The local Neo4j could not be built, started or stopped; the message says why."""


class LocalState(BaseModel):
    """What a running instance leaves in its data folder so other commands can find it."""

    pid: int
    port: int
    uri: str
    started_at: datetime


def _source_files() -> list[Path]:
    return [PROJECT_DIR / "pom.xml", *sorted((PROJECT_DIR / "src").rglob("*.java"))]


def is_built() -> bool:
    """True when the classpath and compiled launcher are newer than the pom and the sources."""
    if not CLASSPATH_FILE.is_file():
        return False
    built = CLASSPATH_FILE.stat().st_mtime
    return all(f.stat().st_mtime <= built for f in _source_files())


def build(*, force: bool = False) -> Path:
    """Download Neo4j's jars (once) and compile the launcher; returns the classpath file."""
    if is_built() and not force:
        return CLASSPATH_FILE
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LocalNeo4jError("Maven (`mvn`) is not on PATH; it is needed to fetch Neo4j from Maven Central")
    cmd = [mvn, "-q", "-B", "package", "dependency:build-classpath", f"-Dmdep.outputFile={CLASSPATH_FILE}"]
    done = subprocess.run(cmd, cwd=PROJECT_DIR, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr)[-3000:]
        raise LocalNeo4jError(f"building the local Neo4j failed ({' '.join(cmd)}):\n{tail}")
    CLASSPATH_FILE.touch()
    return CLASSPATH_FILE


def java_argv(main_class: str, args: Sequence[str], *, heap: str) -> list[str]:
    """A `java` command line for a class on the local Neo4j classpath (the launcher or Neo4j's tools)."""
    build()
    java_home = os.environ.get("JAVA_HOME")
    java = (java_home and shutil.which("java", path=str(Path(java_home) / "bin"))) or shutil.which("java")
    if java is None:
        raise LocalNeo4jError("no `java` found (JDK 17 is needed); set JAVA_HOME or put java on PATH")
    classpath = f"{TARGET_DIR / 'classes'}{os.pathsep}{CLASSPATH_FILE.read_text().strip()}"
    return [java, f"-Xms{heap}", f"-Xmx{heap}", *JAVA_17_FLAGS, "-cp", classpath, main_class, *args]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class LocalNeo4j:
    """One local Neo4j instance: a data folder, a port, and the JVM serving them."""

    def __init__(self, data_dir: Path, port: int | None = None, *, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.data_dir = Path(data_dir).resolve()
        self.port = port or self.settings.local_port
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def state_file(self) -> Path:
        return self.data_dir / STATE_FILE

    @property
    def log_file(self) -> Path:
        return self.data_dir / LOG_FILE

    def state(self) -> LocalState | None:
        """The state of the instance serving this data folder, or None when none is running."""
        try:
            state = LocalState.model_validate_json(self.state_file.read_text())
        except (OSError, ValueError):
            return None
        if not self._is_our_process(state.pid):
            self.state_file.unlink(missing_ok=True)  # stale: the process is gone
            return None
        return state

    def running_uri(self) -> str | None:
        state = self.state()
        return state.uri if state else None

    def _is_our_process(self, pid: int) -> bool:
        try:
            proc = psutil.Process(pid)
            cmdline = proc.cmdline()
            alive = proc.status() != psutil.STATUS_ZOMBIE
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return False
        return alive and LAUNCHER_CLASS in cmdline and str(self.data_dir) in cmdline

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def start(self, timeout: float | None = None) -> str:
        """Start the instance (or find it already running) and return its Bolt URI once it answers."""
        if (state := self.state()) is not None:
            return state.uri
        if _port_in_use(self.port):
            raise LocalNeo4jError(f"port {self.port} on 127.0.0.1 is already in use; choose another with --port")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        argv = java_argv(
            LAUNCHER_CLASS,
            [
                "--home",
                str(self.data_dir),
                "--port",
                str(self.port),
                "--pagecache",
                self.settings.local_pagecache,
                "--tx-memory",
                self.settings.local_tx_memory,
            ],
            heap=self.settings.local_heap,
        )
        uri = f"bolt://127.0.0.1:{self.port}"
        with self.log_file.open("ab") as log:
            self._process = subprocess.Popen(
                argv,
                cwd=self.data_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        state = LocalState(pid=self._process.pid, port=self.port, uri=uri, started_at=datetime.now(UTC))
        self.state_file.write_text(state.model_dump_json())
        self._wait_until_ready(uri, timeout or self.settings.local_start_timeout_s)
        return uri

    def _wait_until_ready(self, uri: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with GraphDatabase.driver(uri, auth=None, connection_timeout=2.0) as driver:
            while True:
                assert self._process is not None
                if self._process.poll() is not None:
                    self.state_file.unlink(missing_ok=True)
                    raise LocalNeo4jError(
                        f"the local Neo4j exited with status {self._process.returncode} while starting; "
                        f"log tail ({self.log_file}):\n{self.log_tail()}"
                    )
                try:
                    driver.verify_connectivity()
                    return
                except (ServiceUnavailable, OSError):
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise LocalNeo4jError(
                        f"the local Neo4j did not answer on {uri} within {timeout:.0f}s; "
                        f"log tail ({self.log_file}):\n{self.log_tail()}"
                    )
                time.sleep(0.25)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the instance with SIGTERM (a clean shutdown), SIGKILL after `timeout`. False if none ran."""
        state = self.state()
        if state is None:
            return False
        try:
            proc = psutil.Process(state.pid)
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except psutil.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        except psutil.NoSuchProcess:
            pass
        if self._process is not None:
            self._process.wait(10)  # reap our own child
            self._process = None
        self.state_file.unlink(missing_ok=True)
        return True
