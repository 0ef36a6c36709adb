"""Real servers on 127.0.0.1 for the notification tests: an SMTP server (aiosmtpd) that
keeps what it receives, and an HTTP server that records webhook calls. Plus a clock."""

from __future__ import annotations

import asyncio
import email
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import timedelta
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from suggestions.core import clock as app_clock


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailRecorder:
    """aiosmtpd handler: refuses the addresses in ``refuse`` (550), keeps everything else."""

    def __init__(self):
        self.received: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse: set[str] = set()
        self.delay = 0.0  # seconds per message: a slow server keeps several workers busy
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content, policy=default_policy)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for rcpts, m in self.received if address in rcpts]


class SMTPServer:
    def __init__(self, port: int):
        self.port = port
        self.recorder = MailRecorder()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self):
        return self.recorder.received


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def config_overrides(smtp_port):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5}


@pytest.fixture
def smtp_server(smtp_port):
    """Started on the port the app is configured for; ``stop()``/``start()`` to take it away."""
    server = SMTPServer(smtp_port)
    server.start()
    yield server
    server.stop()


class WebhookReceiver:
    """Records every POST; answers with the statuses queued in ``answers`` (then 200)."""

    def __init__(self):
        self.calls: list[dict] = []
        self.answers: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.calls.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body,
                     "json": json.loads(body)}
                )  # fmt: skip
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/freiraum?channel=ideas"


@pytest.fixture
def webhook_receiver():
    receiver = WebhookReceiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()
    receiver.thread.join(timeout=10)


class Clock:
    """Moves the application's one clock (suggestions.core.clock) forward, step by step."""

    def __init__(self):
        self._steps = ExitStack()

    def advance(self, **delta) -> None:
        self._steps.enter_context(app_clock.travel_to(app_clock.now() + timedelta(**delta)))


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Moves the time seen by the outbox and the digest (``suggestions.core.clock.now``)."""
    moved = Clock()
    with moved._steps:  # back to the real time after the test
        yield moved
