"""A real SMTP server for the mention mails (the notify tests' aiosmtpd recorder)."""

import pytest

from ..notify.conftest import SMTPServer, free_port


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def config_overrides(smtp_port):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5}


@pytest.fixture
def smtp_server(smtp_port):
    server = SMTPServer(smtp_port)
    server.start()
    yield server
    server.stop()
