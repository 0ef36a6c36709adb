"""Sending mail over SMTP: plain, implicit TLS (port 465) or STARTTLS (port 587), with or
without login. Used only by the outbox worker, never inside a request."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Iterator, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app

from .outbox import Claimed, DeliveryError

log = logging.getLogger(__name__)


def build_message(message: Claimed) -> EmailMessage:
    config = current_app.config
    mail = EmailMessage()
    mail["Subject"] = " ".join((message.subject or "").split())
    mail["From"] = config["MAIL_DEFAULT_SENDER"]
    mail["To"] = message.recipient
    mail["Date"] = formatdate(localtime=False)
    sender_domain = parseaddr(config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2] or None
    mail["Message-ID"] = make_msgid("freiraum", domain=sender_domain)
    # Out-of-office replies and auto-forwarders should leave these alone (RFC 3834).
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(message.body_text or "", cte="quoted-printable")
    if message.body_html:
        mail.add_alternative(message.body_html, subtype="html", cte="quoted-printable")
    if message.attachment and message.attachment_name:  # only PDFs are attached (review pack)
        mail.add_attachment(
            message.attachment, maintype="application", subtype="pdf",
            filename=message.attachment_name,
        )  # fmt: skip
    if message.language:  # after the parts: set_content moves Content-* headers into them
        mail["Content-Language"] = message.language
    return mail


def _check_address(address: str) -> None:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise DeliveryError(f"Invalid address: {error}", permanent=True) from error


def connect() -> smtplib.SMTP:
    config = current_app.config
    host = config["MAIL_SERVER"]
    if not host:
        raise DeliveryError("MAIL_SERVER is not configured.")
    port = int(config["MAIL_PORT"])
    timeout = config["MAIL_TIMEOUT"]
    context = ssl.create_default_context()
    try:
        if config["MAIL_USE_TLS"]:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
            if config["MAIL_USE_STARTTLS"]:
                smtp.starttls(context=context)
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(f"The mail server refused the login: {error.smtp_code}") from error
    except (OSError, smtplib.SMTPException) as error:
        raise DeliveryError(f"Cannot reach the mail server {host}:{port}: {error}") from error
    return smtp


def _send_one(smtp: smtplib.SMTP, message: Claimed) -> None:
    _check_address(message.recipient)
    try:
        mail = build_message(message)
    except (ValueError, TypeError) as error:  # e.g. a line break in a header
        raise DeliveryError(f"The message cannot be built: {error}", permanent=True) from error
    try:
        refused = smtp.send_message(mail, to_addrs=[message.recipient])
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()), (450, b""))
        raise DeliveryError(_smtp_text(code, text), permanent=code >= 500) from error
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
        raise DeliveryError(
            _smtp_text(error.smtp_code, error.smtp_error), permanent=error.smtp_code >= 500
        ) from error
    if refused:  # only possible with several recipients; kept for completeness
        code, text = next(iter(refused.values()))
        raise DeliveryError(_smtp_text(code, text), permanent=code >= 500)


def print_to_console(message: Claimed) -> DeliveryError | None:
    """The console transport: write the mail to standard output instead of sending it, so
    that in development every mail can be read in the terminal of ``make run``. The message
    is built exactly as for SMTP (a mail that could not be sent fails here too)."""
    try:
        _check_address(message.recipient)
        mail = build_message(message)
    except DeliveryError as error:
        return error
    except (ValueError, TypeError) as error:
        return DeliveryError(f"The message cannot be built: {error}", permanent=True)
    rule = "-" * 72
    lines = [rule, f"To: {mail['To']}", f"Subject: {mail['Subject']}"]
    if message.language:
        lines.append(f"Language: {message.language}")
    lines += ["", (message.body_text or "").rstrip(), rule]
    click.echo("\n".join(lines))
    return None


def _smtp_text(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"SMTP {code}: {' '.join(text.split())}"


def send_batch(messages: Sequence[Claimed]) -> Iterator[tuple[Claimed, DeliveryError | None]]:
    """Send several mails over one connection, giving each outcome as soon as it is known (the
    outbox records it before the next mail goes: a worker killed mid-batch repeats at most the
    mail it was sending). A message the server refuses fails alone; a dropped connection is
    opened again for the next message; a server that cannot be reached leaves the rest of the
    batch for a later attempt. In development without SMTP, mails are printed instead."""
    if current_app.config["MAIL_BACKEND"] == "console":
        for message in messages:
            yield message, print_to_console(message)
        return
    smtp: smtplib.SMTP | None = None
    try:
        for index, message in enumerate(messages):
            for attempt in (1, 2):
                try:
                    if smtp is None:
                        smtp = connect()
                    _send_one(smtp, message)
                    yield message, None
                    break
                except DeliveryError as error:
                    if smtp is None:  # no connection: the rest of the batch waits too
                        for waiting in messages[index:]:
                            yield waiting, error
                        return
                    yield message, error
                    break
                except smtplib.SMTPServerDisconnected as error:
                    _close(smtp)
                    smtp = None
                    if attempt == 2:
                        failure = DeliveryError(f"The mail server closed the connection: {error}")
                        yield message, failure
                except (OSError, smtplib.SMTPException) as error:
                    _close(smtp)
                    smtp = None
                    yield message, DeliveryError(f"Sending failed: {error}")
                    break
                except Exception as error:  # never leave the rest of the batch claimed
                    log.exception("Unexpected error while sending outbox message %s", message.id)
                    yield message, DeliveryError(f"Unexpected error: {error!r}")
                    break
    finally:
        _close(smtp)


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()
