"""Internal notes: heads of the departments concerned and leadership only; mentions tell the
person in the app and by mail, if they may read notes."""

import pytest
from sqlalchemy import select

from suggestions.core.errors import NotAllowed
from suggestions.core.extensions import db
from suggestions.governance import notes
from suggestions.notify import sending
from suggestions.notify.models import Notification, OutboxMessage

from ..factories import make_idea

SECRET = "Quittungsdrucker-Vertrag"


@pytest.fixture
def idea(org):
    return make_idea(org.employee, department=org.service, category=org.red_tape,
                     affected=[org.sales])  # fmt: skip


def test_heads_of_owning_and_affected_departments_and_leadership_write_notes(app, org, idea):
    for person in (org.head, org.other_head, org.leader):
        notes.write_note(person, idea, f"Note by {person.display_name}")
    for person in (org.employee, org.other_employee, org.admin):
        with pytest.raises(NotAllowed):
            notes.write_note(person, idea, "Not for me")


def test_an_employee_posting_a_note_gets_403(browser, org, idea):
    browser.login(org.other_employee)
    response = browser.post(f"/ideas/{idea.id}/notes", {"note-body": "sneaky"})
    assert response.status_code == 403
    assert notes.notes_of(idea) == []


def test_a_mention_tells_the_colleague_in_the_app_and_by_mail(browser, org, idea, smtp_server):
    browser.login(org.head)
    response = browser.post(f"/ideas/{idea.id}/notes",
                            {"note-body": f"@Lea Leader please check the {SECRET}."})  # fmt: skip
    assert response.status_code == 302
    told = db.session.scalars(select(Notification).where(Notification.user_id == org.leader.id))
    assert [n.kind for n in told] == ["note_mention"]
    sending.run_once()
    mails = smtp_server.recorder.to(org.leader.email)
    assert len(mails) == 1
    assert (
        "Hanna Head mentioned you in an internal note"
        in mails[0]["Subject"] + str(mails[0].get_body(("plain",)).get_content())
        or "internal note" in mails[0]["Subject"]
    )
    # The note's words stay on the page.
    assert SECRET not in mails[0].as_string()
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Lea Leader is told." in page or SECRET in page


def test_a_mention_of_someone_who_cannot_see_notes_is_refused_and_said(browser, org, idea):
    browser.login(org.head)
    browser.post(f"/ideas/{idea.id}/notes", {"note-body": "@Erika Employee what do you think?"})
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Erika Employee cannot see internal notes, not notified." in page
    nothing = db.session.scalars(
        select(Notification).where(Notification.user_id == org.employee.id,
                                   Notification.kind == "note_mention")
    ).all()  # fmt: skip
    assert nothing == []


def test_notes_never_reach_employees(browser, org, idea):
    notes.write_note(org.head, idea, f"{SECRET}: legal says no")
    db.session.commit()
    for person in (org.employee, org.other_employee, org.admin):
        browser.login(person)
        for url in (f"/ideas/{idea.id}", "/notifications"):
            assert SECRET not in browser.get(url).get_data(as_text=True), (person, url)
        found = browser.get(f"/ideas?q={SECRET}").get_data(as_text=True)
        assert f'href="/ideas/{idea.id}"' not in found
        browser.logout()
    assert all(SECRET not in m.body_text for m in db.session.scalars(select(OutboxMessage)))
    browser.login(org.leader)
    assert SECRET in browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    found = browser.get(f"/ideas?q={SECRET}").get_data(as_text=True)
    assert f'href="/ideas/{idea.id}"' not in found  # notes are not searched
    assert SECRET not in browser.get("/ideas/export.csv").get_data(as_text=True)


def test_suggestions_name_only_people_who_may_read_notes(browser, org, idea):
    browser.login(org.head)
    offered = browser.get(f"/ideas/{idea.id}/notes/people?note-body=Ask+@S").get_data(as_text=True)
    assert "Sven Saleshead" in offered  # heads the affected department
    nobody = browser.get(f"/ideas/{idea.id}/notes/people?note-body=@Erika").get_data(as_text=True)
    assert "Erika" not in nobody


def test_markdown_in_notes_is_sanitised(browser, org, idea):
    notes.write_note(org.head, idea, "**bold** <script>alert(1)</script>")
    db.session.commit()
    browser.login(org.leader)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "<strong>bold</strong>" in page and "<script>alert(1)" not in page


def test_the_notes_heading_says_internal_once(browser, org, idea):
    # "Interne Notizen" beside the badge "intern" said it twice.
    notes.write_note(org.head, idea, "Finance agrees.")
    org.head.language = "de"
    db.session.commit()
    browser.login(org.head)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    heading = page.split('id="internal-notes-title">')[1].split("</h2>")[0]
    assert heading == 'Notizen <span class="badge badge-internal">intern</span>'
