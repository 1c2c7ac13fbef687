"""Fixtures for the pynetbox compatibility suite.

Starts `cairn serve` once per session against a fresh database:
  CAIRN_BIN              binary to run (default target/release/cairn)
  CAIRN_COMPAT_DATABASE  SQLite path or postgres:// URL of a *fresh* database
                         (default: a new SQLite file in a temporary directory)
"""
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pynetbox
import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server():
    binary = Path(os.environ.get("CAIRN_BIN", "target/release/cairn"))
    if not binary.is_absolute():
        binary = REPO_ROOT / binary
    if not binary.exists():
        pytest.exit(f"cairn binary not found: {binary}", returncode=1)

    tmpdir = tempfile.mkdtemp(prefix="cairn-compat-")
    database = os.environ.get("CAIRN_COMPAT_DATABASE") or os.path.join(tmpdir, "cairn.sqlite3")
    token = secrets.token_hex(20)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAIRN_")}

    proc = log = None
    try:
        res = subprocess.run(
            [str(binary), "createsuperuser", "--username", "admin", "--password", "admin-Passw0rd",
             "--token", token, "--database", database],
            env=env, cwd=tmpdir, capture_output=True, text=True, timeout=60,
        )
        if res.returncode != 0:
            # abort the whole session once instead of erroring every test
            pytest.exit(f"`cairn createsuperuser` failed (exit {res.returncode}):\n{res.stdout}{res.stderr}",
                        returncode=1)

        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(os.path.join(tmpdir, "server.log"), "wb")
        proc = subprocess.Popen(
            [str(binary), "serve", "--bind", f"127.0.0.1:{port}", "--database", database],
            env=env, cwd=tmpdir, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.time() + 30
            while True:
                if proc.poll() is not None:
                    log.flush()
                    pytest.exit("cairn serve exited early:\n" + Path(log.name).read_text(errors="replace"),
                                returncode=1)
                try:
                    # LOGIN_REQUIRED is on, as in NetBox: even the status needs a token.
                    headers = {"Authorization": f"Token {token}"}
                    if requests.get(base + "/api/status/", headers=headers, timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.time() > deadline:
                    pytest.exit("cairn serve did not answer /api/status/ within 30 s", returncode=1)
                time.sleep(0.1)
            yield {"url": base, "token": token, "log": log.name}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    finally:
        if log is not None:
            log.close()
        if os.environ.get("CAIRN_COMPAT_KEEP") is None:
            shutil.rmtree(tmpdir, ignore_errors=True)


@pytest.fixture(scope="session")
def nb(server):
    api = pynetbox.api(server["url"], token=server["token"])
    return api


@pytest.fixture
def uid():
    """A short unique suffix for names and slugs."""
    return uuid.uuid4().hex[:10]
