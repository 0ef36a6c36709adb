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


# --- A real LDAP directory: Debian's slapd on loopback, with a throwaway configuration ---

SLAPD = shutil.which("slapd") or ("/usr/sbin/slapd" if os.path.exists("/usr/sbin/slapd") else None)
LDAP_BASE = "dc=example,dc=com"
LDAP_SERVICE_DN = f"cn=freiraum,{LDAP_BASE}"
LDAP_SERVICE_PASSWORD = "service-account-password"
LDAP_PEOPLE = {
    "erika": {"cn": "Erika Muster", "displayName": "Erika Muster", "sn": "Muster",
              "mail": "erika@example.com", "departmentNumber": "Customer Service",
              "userPassword": "erika's directory password"},
}  # fmt: skip

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
database mdb
maxsize 10485760
suffix "{base}"
rootdn "cn=admin,{base}"
rootpw admin-password
directory {dir}/data
TLSCertificateFile {dir}/cert.pem
TLSCertificateKeyFile {dir}/key.pem
access to attrs=userPassword by anonymous auth by * none
access to * by * read
"""


@dataclass
class Directory:
    url: str
    base: str
    ca_file: str  # the directory's self-signed certificate (for StartTLS)


def _self_signed_certificate(folder: Path) -> None:
    """A certificate for 127.0.0.1, made here (the cryptography package comes with Authlib)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ))  # fmt: skip


@pytest.fixture(scope="session")
def ldap_directory(tmp_path_factory) -> Iterator[Directory]:
    if not SLAPD:
        reason = "slapd is not installed (apt-get install slapd ldap-utils)"
        if os.environ.get("REQUIRE_LDAP"):
            pytest.fail(f"REQUIRE_LDAP is set but {reason}")
        pytest.skip(f"LDAP tests skipped: {reason}")
    import ldap3

    folder = tmp_path_factory.mktemp("slapd")
    (folder / "data").mkdir()
    _self_signed_certificate(folder)
    (folder / "slapd.conf").write_text(SLAPD_CONF.format(dir=folder, base=LDAP_BASE))
    port = _free_port()
    url = f"ldap://127.0.0.1:{port}"
    process = subprocess.Popen(
        [SLAPD, "-d", "0", "-f", str(folder / "slapd.conf"), "-h", f"{url}/"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        admin = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                admin = ldap3.Connection(url, f"cn=admin,{LDAP_BASE}", "admin-password",
                                         auto_bind=True)  # fmt: skip
                break
            except ldap3.core.exceptions.LDAPException:
                time.sleep(0.1)
        if admin is None:
            pytest.fail(
                f"slapd did not start: {process.stderr.read()[-500:] if process.poll() else ''}"
            )
        admin.add(LDAP_BASE, ["dcObject", "organization"], {"o": "Example", "dc": "example"})
        admin.add(LDAP_SERVICE_DN, ["person"],
                  {"sn": "freiraum", "userPassword": LDAP_SERVICE_PASSWORD})  # fmt: skip
        admin.add(f"ou=people,{LDAP_BASE}", ["organizationalUnit"], {"ou": "people"})
        for uid, attributes in LDAP_PEOPLE.items():
            admin.add(f"uid={uid},ou=people,{LDAP_BASE}", ["inetOrgPerson"], attributes)
            assert admin.result["result"] == 0, admin.result
        admin.unbind()
        yield Directory(url=url, base=LDAP_BASE, ca_file=str(folder / "cert.pem"))
    finally:
        process.terminate()
        process.wait(timeout=10)
