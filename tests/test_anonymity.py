"""An anonymous author is shown to nobody: not in any page any other role can open.

The crawl covers every page that shows ideas, with every filter and sort, the idea page
after the author edited and withdrew (their own actions on the timeline), the vote fragment,
and the admin pages. The admin's user directory lists every account by design, so the
check there is that it shows nothing that ties a person to an idea.
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from suggestions.extensions import db
from suggestions.ideas import rules
from suggestions.timeutil import now
from suggestions.workflow import lifecycle
from suggestions.workflow.lifecycle import transition

from .factories import make_idea, make_user

SECRET_NAME = "Wilhelmine Whistleblower"
SECRET_EMAIL = "wilhelmine.secret@example.org"


@pytest.fixture
def anonymous_idea(org):
    author = make_user(department=org.service, name=SECRET_NAME, email=SECRET_EMAIL)
    idea = make_idea(author, department=org.service, anonymous=True, title="Anonymous proposal")
    rules.edit_idea(idea, author, rules.IdeaText(
        title="Anonymous proposal, edited", problem="p", proposal="q", benefit="b",
        category=idea.category, owning_department=org.service, affected_departments=[org.sales],
    ))  # fmt: skip
    rules.set_vote(idea, author, True)
    rules.add_comment(idea, org.head, "Official: we look into it.", official=True)
    transition(idea, "withdraw", author, "Withdrawn by the author")
    # Through the decision loop: the author answers a question, another one they fixed
    # themselves, a third is accepted with a public commitment.
    asked = make_idea(author, department=org.service, anonymous=True, title="Anonymous question")
    transition(asked, "ask_info", org.head, "Which form?")
    transition(asked, "provide_info", author, "Form T-12, every day.")
    done = make_idea(author, department=org.service, anonymous=True, title="Anonymous fix")
    lifecycle.just_do_it(done, author, cost=Decimal(20), change_summary="Fixed it myself.")
    promised = make_idea(author, department=org.service, anonymous=True, title="Anonymous promise")
    lifecycle.accept(promised, org.leader, owner=org.head, promise="We deliver.",
                     due_on=now().date() + timedelta(days=9))  # fmt: skip
    lifecycle.escalate(make_idea(author, department=org.service, anonymous=True), org.head)
    named = make_idea(org.other_employee, department=org.sales, title="Named proposal")
    db.session.commit()
    return author, idea, named


def pages(org, idea, named):
    yield "/ideas"
    for sort in ("top", "new", "discussed"):
        yield f"/ideas?sort={sort}"
    yield f"/ideas?department={org.service.id}"
    yield f"/ideas?category={idea.category_id}"
    yield "/ideas?status=withdrawn"
    yield "/ideas?mine=1"
    yield f"/ideas/{idea.id}"
    yield f"/ideas/{named.id}"
    yield "/account"
    yield "/ideas?overdue=1"
    yield "/commitments"
    for other in range(idea.id + 1, named.id):  # the ideas that went through the loop
        yield f"/ideas/{other}"
    yield "/notifications"
    yield "/you-said-we-did"


INSIGHTS = ["/insights", "/insights?range=365", "/insights/figures.csv", "/ideas/export.csv"]
ROLE_PAGES = {
    "admin": ["/admin/departments", "/admin/categories", "/admin/settings", *INSIGHTS],
    "head": ["/queue", *INSIGHTS],
    "other_head": ["/queue", *INSIGHTS],
    "leader": ["/queue", "/queue/leadership", "/queue/leadership?tab=overdue", *INSIGHTS],
}


@pytest.mark.parametrize("role", ["employee", "head", "other_head", "leader", "admin"])
def test_no_page_reveals_the_anonymous_author(browser, org, anonymous_idea, role):
    author, idea, named = anonymous_idea
    viewer = {"employee": org.other_employee, "head": org.head, "other_head": org.other_head,
              "leader": org.leader, "admin": org.admin}[role]  # fmt: skip
    browser.login(viewer)
    urls = list(pages(org, idea, named)) + ROLE_PAGES.get(role, [])
    for url in urls:
        response = browser.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert SECRET_NAME not in body, url
        assert SECRET_EMAIL not in body, url
        assert "Wilhelmine" not in body and "wilhelmine" not in body, url
    fragment = browser.post(f"/ideas/{named.id}/vote", {"vote": "add"},
                            headers={"HX-Request": "true"}).get_data(as_text=True)  # fmt: skip
    assert "Wilhelmine" not in fragment
    # Positive control: the same crawl does show a named author.
    assert "Otto Other" in browser.get(f"/ideas/{named.id}").get_data(as_text=True)
    # The idea page says "Anonymous" and "The author" for the author's own actions.
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Anonymous" in page and "The author" in page


def test_admin_user_directory_shows_no_link_between_person_and_idea(browser, org, anonymous_idea):
    author, idea, _ = anonymous_idea
    browser.login(org.admin)
    for url in ("/admin/users", "/admin/users?q=wilhelmine", f"/admin/users/{author.id}"):
        body = browser.get(url).get_data(as_text=True)
        assert "Anonymous proposal" not in body and f"/ideas/{idea.id}" not in body


def test_the_author_sees_it_is_theirs(browser, org, anonymous_idea):
    author, idea, _ = anonymous_idea
    browser.login(author)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "only you see this" in page
    assert f"/ideas/{idea.id}" in browser.get("/ideas?mine=1").get_data(as_text=True)
