"""People who chose no language hear from Freiraum in the organisation's default language
(``DEFAULT_LOCALE``, stored as ``BABEL_DEFAULT_LOCALE``), not in English: mails and the bell."""

import pytest

from suggestions.core.extensions import db
from suggestions.ideas.models import IdeaStatus

from ..factories import make_idea
from .test_mail import change_status, send_mail, text_and_html


@pytest.fixture
def config_overrides(smtp_port):
    return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_port, "MAIL_TIMEOUT": 5,
            "BABEL_DEFAULT_LOCALE": "de"}  # fmt: skip


def test_a_person_without_a_language_gets_german_mail_in_a_german_organisation(
    app, org, smtp_server
):
    org.employee.language = None
    db.session.commit()
    idea = make_idea(org.employee, department=org.service, title="Reisekosten vereinfachen")
    change_status(idea, org.head, IdeaStatus.IN_REVIEW)
    assert "sent" in send_mail(app)

    [mail] = smtp_server.recorder.to(org.employee.email)
    assert mail["Content-Language"] == "de"
    plain, html = text_and_html(mail)
    assert "In Prüfung" in plain and "In review" not in plain
    assert '<html lang="de">' in html


def test_without_a_language_the_bell_speaks_the_organisations_language(app, org, browser):
    org.employee.language = None
    idea = make_idea(org.employee, department=org.service, title="Reisekosten vereinfachen")
    change_status(idea, org.head, IdeaStatus.IN_REVIEW)
    browser.login(org.employee)  # a browser that asks for no particular language
    page = browser.get("/notifications").get_data(as_text=True)
    assert '<html lang="de">' in page and "In Prüfung" in page
