"""The notification settings offer only news a person can receive: queue news is for those
who work a department's queue (the permission policy says who)."""

from sqlalchemy import select

from suggestions.core.extensions import db
from suggestions.notify import rules
from suggestions.notify.models import NotificationPreference

QUEUE_LABEL = "New and transferred ideas for a department I lead"


def test_an_employee_is_not_offered_news_of_a_department_they_do_not_lead(browser, org):
    browser.login(org.employee)
    page = browser.get("/notifications/settings").get_data(as_text=True)
    assert QUEUE_LABEL not in page and 'name="queue"' not in page
    assert 'name="status"' in page
    choices = {kind: "in_app" for kind in rules.PREFERENCES} | {"top_ideas": "off"}
    assert browser.post("/notifications/settings", choices).status_code == 302
    kinds = db.session.scalars(
        select(NotificationPreference.kind).where(NotificationPreference.user_id == org.employee.id)
    ).all()
    assert "queue" not in kinds and "status" in kinds


def test_heads_and_leadership_are_offered_their_queue_news(new_browser, org):
    for person in (org.head, org.leader):
        browser = new_browser()
        browser.login(person)
        page = browser.get("/notifications/settings").get_data(as_text=True)
        assert QUEUE_LABEL in page and 'name="queue"' in page
