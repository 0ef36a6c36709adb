"""The password reset link travels through the outbox to a real SMTP server."""

import re

from suggestions.core.extensions import db

from ..factories import PASSWORD


def test_the_reset_link_arrives_by_smtp_and_sets_a_new_password(app, browser, org, smtp_server):
    org.employee.language = "de"
    db.session.commit()
    browser.get("/password/forgot")
    assert browser.post("/password/forgot", {"email": org.employee.email}).status_code == 200
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0 and "1 sent" in result.output, result.output

    (mail,) = smtp_server.recorder.to(org.employee.email)
    assert mail["Subject"] == "[Freiraum] Neues Passwort festlegen"
    assert mail["Content-Language"] == "de"
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    link = re.search(r"https://freiraum\.example\.test(/password/reset/\S+)", plain).group(1)
    assert link in html

    browser.get(link)
    new = "ein ganz neues Passwort"
    assert browser.post(link, {"new": new, "confirm": new}).status_code == 302
    browser.login(org.employee, password=new)
    browser.logout()
    browser.get("/login")
    response = browser.post("/login", {"email": org.employee.email, "password": PASSWORD})
    assert response.status_code == 401
