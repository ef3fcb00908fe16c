"""Start the app under gunicorn on a loopback port, with the production settings, for the benchmark, the
load test and the production tests. Nothing here listens anywhere but 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def port_range(text: str) -> range:
    """"8110-8119" (or one port, "8110") as a range of ports."""
    first, _, last = text.strip().partition("-")
    if not first.isdecimal() or not (last or first).isdecimal():
        raise ValueError(f"TEST_SERVER_PORTS must be a port or a range of ports such as 8110-8119, not {text!r}")
    return range(int(first), int(last or first) + 1)


# gunicorn ports set aside for tests and the benchmark (TEST_SERVER_PORTS, or BENCH_PORTS for make bench, moves
# them when others are taken)
PORTS = port_range(os.environ.get("TEST_SERVER_PORTS") or os.environ.get("BENCH_PORTS") or "8110-8119")


def free_port() -> int:
    """The first port of PORTS free now. Under pytest-xdist each worker starts at its own share of the range,
    so that two workers probing at the same moment do not both pick the same port."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    start = (int(worker) if worker.isdecimal() else 0) * (len(PORTS) // max(workers, 1))
    for port in [*PORTS[start:], *PORTS[:start]]:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def production_env(**extra: str) -> dict[str, str]:
    """The environment of `make serve`, on loopback and plain HTTP (no TLS proxy in front here)."""
    # Not inherited: test-only switches (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE) and the caller's own
    # settings choices, which each caller states again.
    dropped = {"DJANGO_SETTINGS_MODULE", "DEBUG", "REDIS_URL", "PAGE_CACHE_SECONDS", "DATA_CACHE_SECONDS",
               "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in dropped}
    env.update({
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "GUNICORN_ACCESS_LOG": "false",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, log: Path | None = None, wait: float = 30.0):
    """Run gunicorn with gunicorn.conf.py; yield its base URL once /healthz answers; stop it afterwards."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 closed below
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                               stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}" + (f"; see {log}" if log else ""))
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer on {base}/healthz within {wait:.0f} s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=25)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            out.close()
