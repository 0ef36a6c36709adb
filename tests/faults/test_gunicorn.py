"""The production server settings (gunicorn.conf.py), checked against a real gunicorn."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

HELLO = """
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]
"""


def test_responses_do_not_name_the_server(tmp_path):
    (tmp_path / "hello.py").write_text(HELLO)
    log = tmp_path / "gunicorn.log"
    env = os.environ | {"GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "1"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
             "--bind", "127.0.0.1:0", "--chdir", str(tmp_path), "hello:app"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline, url = time.monotonic() + 20, None
        while url is None and time.monotonic() < deadline and process.poll() is None:
            match = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log.read_text())
            url = match.group(1) if match else time.sleep(0.05)
        assert url, log.read_text()
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.read() == b"hello"
            assert response.headers["Server"] is None
            assert response.headers["Date"]
    finally:
        process.terminate()
        process.wait(10)


def test_gunicorn_closes_stuck_and_idle_connections(monkeypatch):
    import runpy

    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["keepalive"] <= 10 and settings["timeout"] <= 60
    assert settings["graceful_timeout"] <= settings["timeout"]
    monkeypatch.setenv("GUNICORN_TIMEOUT", "15")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["timeout"] == 15
