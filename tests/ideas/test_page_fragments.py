"""The kept timeline (ideas.page_fragments) shows what the idea's events are now, in the
reader's language, and the same to every reader: each test draws a page first (so the timeline
is kept), then changes the events, a name or the language and reads the page again."""

import re

from suggestions.auth.models import User
from suggestions.core.cache import fragments
from suggestions.core.extensions import db
from suggestions.workflow.lifecycle import transition

from ..factories import make_idea


def timeline_html(page: str) -> str:
    found = re.search(r'<section class="card timeline".*?</section>', page, flags=re.S)
    assert found, page[:300]
    return found.group(0)


def test_a_new_event_shows_on_the_next_request(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.other_employee)
    shown = timeline_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert "submitted the idea" in shown and shown.count("<li>") == 1
    kept = len(fragments("timelines"))
    again = timeline_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert again == shown and len(fragments("timelines")) == kept  # kept, not drawn again

    transition(idea, "ask_info", org.head, "How often does it happen?")
    db.session.commit()
    shown = timeline_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert "How often does it happen?" in shown and shown.count("<li>") == 2


def test_a_renamed_actor_and_the_language_are_part_of_the_key(browser, org):
    idea = make_idea(org.employee, department=org.service)
    browser.login(org.other_employee)
    assert "Erika" in timeline_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    db.session.get(User, org.employee.id).display_name = "Erika Neumann"
    db.session.commit()
    shown = timeline_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert "Erika Neumann" in shown and "submitted the idea" in shown
    db.session.get(User, org.other_employee.id).language = "de"
    db.session.commit()
    shown = timeline_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True))
    assert "hat die Idee eingereicht" in shown and "submitted the idea" not in shown


def test_every_reader_sees_the_same_timeline_and_no_anonymous_author(new_browser, org):
    idea = make_idea(org.employee, department=org.service, anonymous=True)
    shown = []
    for person in (org.employee, org.other_employee, org.admin):  # the author first
        reader = new_browser()
        reader.login(person)
        shown.append(timeline_html(reader.get(f"/ideas/{idea.id}").get_data(as_text=True)))
    assert shown[0] == shown[1] == shown[2]
    assert "The author" in shown[0] and org.employee.display_name not in shown[0]
