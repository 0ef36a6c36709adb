"""A real OpenID Connect provider (npm ``oidc-provider``, tests/auth/oidc/) on 127.0.0.1.

Started once per test process on a free port. Without node/npm the tests that need it are
skipped with a plain reason; REQUIRE_OIDC=1 (set in CI) turns that into an error.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROVIDER_DIR = Path(__file__).parent / "oidc"
CLIENT_SECRET = "test-client-secret-that-is-long-enough"
# What url_for(..., _external=True) gives under the Flask test client.
CALLBACK = "http://localhost/login/oidc/callback"
AFTER_LOGOUT = "http://localhost/login"


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_OIDC"):
        pytest.fail(f"REQUIRE_OIDC is set but the OpenID Connect provider cannot run: {reason}")
    pytest.skip(f"OpenID Connect provider tests skipped: {reason}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    issuer: str
    live_port: int  # the port the browser test serves the app on (its callback is registered)
    signing_key: object  # joserfc RSAKey: the provider signs with it, a test may forge with it
    people_file: Path

    def set_people(self, people: dict[str, dict]) -> None:
        self.people_file.write_text(json.dumps(people))


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory) -> Iterator[Provider]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _unavailable("node and npm are not installed (apt-get install nodejs npm)")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, capture_output=True, text=True
        )
        if done.returncode:
            _unavailable(f"`npm ci` in {PROVIDER_DIR.name} failed: {done.stderr[-500:]}")

    from joserfc.jwk import RSAKey

    key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig"}, private=True)
    people_file = tmp_path_factory.mktemp("oidc") / "people.json"
    people_file.write_text("{}")
    port, live_port = _free_port(), _free_port()
    live = f"http://127.0.0.1:{live_port}"
    client = {
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [CALLBACK, f"{live}/login/oidc/callback"],
        "post_logout_redirect_uris": [AFTER_LOGOUT, f"{live}/login"],
    }
    settings = {
        "keys": [key.as_dict(private=True)],
        "clients": [
            {"client_id": "freiraum", **client},
            {"client_id": "short-lived", **client},  # its codes expire after one second
        ],
        "peopleFile": str(people_file),
    }
    process = subprocess.Popen(
        [node, "provider.mjs", str(port)],
        cwd=PROVIDER_DIR,
        env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(settings)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        line = ""
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if line.startswith("ready ") or process.poll() is not None:
                break
        if not line.startswith("ready "):
            _unavailable(f"the provider did not start: {line or process.stdout.read()[-500:]}")
        # Keep reading its output so a full pipe never blocks it.
        import threading

        threading.Thread(target=process.stdout.read, daemon=True).start()
        yield Provider(
            issuer=line.split()[1], live_port=live_port, signing_key=key, people_file=people_file
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
