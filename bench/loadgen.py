"""Load against a local gunicorn: `wrk` when installed (Debian package), else a small threaded httpx loop.

Loopback only, bounded in time and connections. Returns requests/s and p50/p95 latency in milliseconds.
"""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent

_WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "non2xx": %d, "errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Load:
    rps: float
    p50_ms: float
    p95_ms: float
    requests: int
    failures: int


def combine(rounds: list[Load]) -> Load:
    """Several short runs of one URL as one: total requests over total time; latencies averaged per round."""
    seconds = sum(r.requests / r.rps for r in rounds if r.rps)
    requests = sum(r.requests for r in rounds)
    return Load(
        rps=requests / seconds if seconds else 0.0,
        p50_ms=statistics.fmean(r.p50_ms for r in rounds),
        p95_ms=statistics.fmean(r.p95_ms for r in rounds),
        requests=requests,
        failures=sum(r.failures for r in rounds),
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with production settings (DEBUG off, manifest static files), the baseline views mounted."""

    def __init__(self, env: dict[str, str], workers: int = 2):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **env,
            "DEBUG": "0",
            "HEARTH_LOCAL": "1",  # plain HTTP on loopback: no SSL redirect; everything else as in production
            "HEARTH_BENCH_BASELINE": "1",
            "SECRET_KEY": env.get("SECRET_KEY", "bench-secret-key-not-for-production-0123456789"),
            "HEARTH_API_KEY_RATE": "100000000/s",  # the bench measures the server, not the throttle's refusals
            "HEARTH_USER_RATE": "100000000/s",
            "LOG_LEVEL": "WARNING",
        }
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        cmd = [sys.executable, "-m", "gunicorn", "hearth.wsgi", "-b", f"127.0.0.1:{self.port}",
               "--workers", str(self.workers), "--log-level", "warning", "--timeout", "60"]  # fmt: skip
        self.process = subprocess.Popen(cmd, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn did not come up")

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None


def run(
    url: str,
    seconds: float,
    connections: int,
    headers: dict[str, str] | None = None,
    cookies: list[str] | None = None,
) -> Load:
    """Load one URL; with `cookies`, each request carries the next cookie in turn (several signed-in users)."""
    if shutil.which("wrk") and not os.environ.get("HEARTH_BENCH_NO_WRK"):
        return _wrk(url, seconds, connections, headers or {}, cookies or [])
    return _threads(url, seconds, connections, headers or {}, cookies or [])


def _wrk(url: str, seconds: float, connections: int, headers: dict[str, str], cookies: list[str]) -> Load:
    rotate = ""
    if cookies:
        listed = ", ".join(json.dumps(c) for c in cookies)
        rotate = (
            f"local cookies = {{{listed}}}\nlocal n = 0\n"
            "request = function()\n  n = n + 1\n  wrk.headers['Cookie'] = cookies[(n % #cookies) + 1]\n"
            "  return wrk.format(nil)\nend\n"
        )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(rotate + _WRK_SCRIPT)
    try:
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", script.name]
        for key, value in headers.items():
            cmd += ["-H", f"{key}: {value}"]
        out = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    data = json.loads([line for line in out.splitlines() if line.startswith("{")][-1])
    seconds_taken = data["duration_us"] / 1e6
    return Load(
        rps=data["requests"] / seconds_taken,
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        requests=data["requests"],
        failures=data["non2xx"] + data["errors"],
    )


def _threads(url: str, seconds: float, connections: int, headers: dict[str, str], cookies: list[str]) -> Load:
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))

    def worker() -> None:
        with httpx.Client(headers=headers, timeout=10) as client:
            while time.monotonic() < stop:
                extra = {"Cookie": cookies[next(counter) % len(cookies)]} if cookies else {}
                start = time.perf_counter()
                try:
                    ok = client.get(url, headers=extra).status_code < 400
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    failures[0] += not ok

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    taken = time.monotonic() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=20) if len(latencies) > 1 else latencies * 19
    return Load(len(latencies) / taken, statistics.median(latencies) * 1000, q[18] * 1000, len(latencies), failures[0])
