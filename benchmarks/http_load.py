"""HTTP throughput and latency of a served Cairn, on SQLite and on PostgreSQL.

Why a separate script: speed is shown here, with the command to reproduce it, never as a
timed assertion in the tests. It builds the demo database through the real ``cairn`` command,
serves it with ``cairn serve`` (one uvicorn worker), signs in as the Northwind HR
administrator, makes an API token with the CLI, and drives ``wrk`` at a page and two API
reads. Each row of the printed table is one wrk run: requests per second, median and p95
latency, and the share of answers that were not 200.

    .venv/bin/python benchmarks/http_load.py [--duration 10] [--connections 8] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench_databases import postgres_database

HR_EMAIL = "hannah.okafor@northwind.example"
SCOPES = ("--scope", "orgs:read", "--scope", "people:read")
CAIRN = str(Path(sys.executable).with_name("cairn"))

# wrk prints its own summary; this script asks for exact percentiles in a parseable line.
LATENCY_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("CAIRN %d %d %d %d %d\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), summary.duration))
end
"""


@dataclass(frozen=True)
class Result:
    database: str
    target: str
    requests_per_s: float
    p50_ms: float
    p95_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served_demo(env: dict[str, str]) -> Iterator[str]:
    subprocess.run([CAIRN, "demo", "--seed-only"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [CAIRN, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/sign-in", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("cairn serve did not answer")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def session_cookie(base: str, password: str) -> str:
    with httpx.Client(base_url=base) as client:
        page = client.get("/sign-in").text
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if match is None:
            raise RuntimeError("no CSRF token on the sign-in page")
        answer = client.post(
            "/sign-in",
            data={"email": HR_EMAIL, "password": password, "csrf_token": match.group(1)},
        )
        if answer.status_code != 303:
            raise RuntimeError(f"sign-in failed with {answer.status_code}")
        return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def api_token(env: dict[str, str]) -> str:
    out = subprocess.run(
        [CAIRN, "tokens", "create", "--email", HR_EMAIL, "--name", "benchmark", *SCOPES],
        env=env | {"COLUMNS": "400"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1].strip()


def run_wrk(
    url: str, header: str, args: argparse.Namespace, lua: Path
) -> tuple[float, float, float, int]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            "-s",
            str(lua),
            "-H",
            header,
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(row for row in out.splitlines() if row.startswith("CAIRN "))
    requests, errors, p50_us, p95_us, duration_us = (int(part) for part in line.split()[1:])
    return requests / (duration_us / 1e6), p50_us / 1000, p95_us / 1000, errors


def measure(
    database: str, env: dict[str, str], args: argparse.Namespace, lua: Path
) -> list[Result]:
    results = []
    with served_demo(env) as base:
        password = (Path(env["CAIRN_DATA_DIR"]) / "demo-password").read_text().strip()
        cookie = f"Cookie: {session_cookie(base, password)}"
        bearer = f"Authorization: Bearer {api_token(env)}"
        orgs = httpx.get(f"{base}/api/v1/orgs", headers=dict([bearer.split(": ", 1)])).json()
        org_id = next(org["id"] for org in orgs["items"] if org["name"].startswith("Northwind"))
        targets = [
            ("page: GET / (signed in)", "/", cookie),
            ("API: GET /api/v1/me", "/api/v1/me", bearer),
            (
                "API: GET /api/v1/orgs/{id}/members?per_page=50",
                f"/api/v1/orgs/{org_id}/members?per_page=50",
                bearer,
            ),
        ]
        for label, path, header in targets:
            rps, p50, p95, errors = run_wrk(base + path, header, args, lua)
            results.append(Result(database, label, rps, p50, p95, errors))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "CAIRN_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="admin URL of a PostgreSQL server; empty to measure SQLite only",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="cairn-bench-") as tmp:
        lua = Path(tmp, "latency.lua")
        lua.write_text(LATENCY_LUA)
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}
        sqlite_dir = Path(tmp, "sqlite")
        results += measure("SQLite", base_env | {"CAIRN_DATA_DIR": str(sqlite_dir)}, args, lua)
        if args.postgres:
            with postgres_database(args.postgres) as url:
                env = base_env | {"CAIRN_DATA_DIR": str(Path(tmp, "pg")), "CAIRN_DATABASE_URL": url}
                results += measure("PostgreSQL", env, args, lua)

    print(f"{args.connections} connections, {args.duration} s per row, one uvicorn worker\n")
    print("| Database | Request | req/s | p50 ms | p95 ms | errors |")
    print("|---|---|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.database} | {r.target} | {r.requests_per_s:.0f} | {r.p50_ms:.1f} "
            f"| {r.p95_ms:.1f} | {r.errors} |"
        )


if __name__ == "__main__":
    main()
