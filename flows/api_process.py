"""A Prefect API server in a subprocess: the temporary one a run needs when no server is configured.

Deliberately free of Prefect imports: the CLI launches the temporary API before it imports
Prefect (over a second of imports), so the server's own start-up (seconds of CPU) overlaps them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path


class ApiReady(threading.Thread):
    """Waits for a Prefect API subprocess's health check; ``error`` is set when it never answers."""

    def __init__(self, process: subprocess.Popen, url: str, timeout: float) -> None:
        super().__init__(name="prefect-api-start", daemon=True)
        self.process, self.url, self.timeout, self.error = process, url, timeout, None

    def run(self) -> None:
        import httpx

        deadline = time.monotonic() + self.timeout
        with httpx.Client() as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    self.error = RuntimeError(f"the Prefect API process exited with code {self.process.returncode}")
                    return
                try:
                    if client.get(f"{self.url}/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        self.error = RuntimeError(f"the Prefect API at {self.url} did not answer within {self.timeout:.0f} s")


@dataclass
class ApiProcess:
    """A running Prefect API server process and the thread waiting for its health check."""

    process: subprocess.Popen
    url: str
    ready: ApiReady
    stopped: bool = False

    def stop(self, timeout: float | None) -> None:
        """Stop the server: SIGTERM, then SIGKILL after ``timeout`` seconds (None: do not wait; the server
        finishes its graceful shutdown, recording the last events, on its own). Stopping twice does nothing."""
        if self.stopped:
            return
        self.stopped = True
        self.process.terminate()
        if timeout is None:
            return
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_api_process(command: list[str], env: dict[str, str], url: str, timeout: float, **popen) -> ApiProcess:
    """Start an API server process; its ``ready`` thread is already waiting for the health check."""
    process = subprocess.Popen(command, env=env, **popen)
    ready = ApiReady(process, url, timeout)
    ready.start()
    return ApiProcess(process, url, ready)


# The temporary API records task runs from their events one event per database transaction by
# default; a run sends hundreds. Batches of events cut its CPU by a third (2-3 s on 24k articles);
# they are flushed when the server stops, so every task run is still recorded. Set in the
# environment, these settings win.
EVENT_BATCHES = {
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_READ_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE": "200",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_READ_BATCH_SIZE": "200",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def launch_temporary_api(settings_env: dict[str, str] | None = None) -> ApiProcess:
    """Start the server Prefect itself would start as its temporary API (``SubprocessASGIServer``:
    uvicorn in a subprocess, without the UI), on a free local port.

    Launched directly rather than through Prefect, whose own start imports the whole server
    package into this process first: seconds of CPU the run needs elsewhere. ``settings_env``
    adds Prefect settings made in this process (the child reads the same profile and environment).
    """
    port = _free_port()
    prefect_dir = Path(find_spec("prefect").origin).parent
    command = [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect_dir.parent), "--factory",
               "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
               "--log-level", "error", "--lifespan", "on"]
    env = {**EVENT_BATCHES, **os.environ, **(settings_env or {}),
           "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180"))
    return start_api_process(command, env, f"http://127.0.0.1:{port}/api", timeout)


@contextmanager
def prefect_api_process(command: list[str], env: dict[str, str], url: str, timeout: float,
                        stop_timeout: float, **popen) -> Iterator[ApiReady]:
    """Run a Prefect API server process for the block, with PREFECT_API_URL pointing at it.

    The yielded thread is already waiting for the API's health check: join it before the
    first API call (or do other work first). The process is stopped when the block ends.
    """
    api = start_api_process(command, env, url, timeout, **popen)
    with serving(api, stop_timeout) as ready:
        yield ready


@contextmanager
def serving(api: ApiProcess, stop_timeout: float | None) -> Iterator[ApiReady]:
    """Point PREFECT_API_URL at a started API process for the block, and stop the process when it ends."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    try:
        with temporary_settings(updates={PREFECT_API_URL: api.url}):
            yield api.ready
    finally:
        api.stop(stop_timeout)
