"""An anonymous author is shown to nobody: not in any page any other role can open.

The crawl covers every page that shows ideas, with every filter and sort, the idea page
after the author edited, commented, answered a question and withdrew (their own actions on
the timeline and in the discussion), search snippets from their comment, the comment and vote
fragments, notifications, the mails and webhook calls in the outbox, the CSV and XLSX exports,
the dashboard, the queues and the admin pages. The admin's user directory lists every account
by design, so the check there is that it shows nothing that ties a person to an idea.
"""

import io
import re
import shutil
import subprocess
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.ideas.models import Comment
from suggestions.notify.models import NotificationPreference, OutboxMessage, Webhook
from suggestions.workflow import campaigns, declines, lifecycle, scorecards
from suggestions.workflow.lifecycle import transition

from .factories import make_idea, make_user

SECRET_NAME = "Wilhelmine Whistleblower"
SECRET_EMAIL = "wilhelmine.secret@example.org"
# A word only the author's own comment contains: search finds it and shows the snippet.
COMMENT_WORD = "zebrafinch"


@pytest.fixture
def anonymous_idea(org):
    # Every call to a channel is recorded in the outbox, so the crawl can read its payloads.
    db.session.add(Webhook(name="Team channel", url="https://127.0.0.1/hook", secret="s" * 32,
                           events=" ".join(WEBHOOK_EVENTS)))  # fmt: skip
    # Another person follows the discussion by mail.
    db.session.add(NotificationPreference(user_id=org.other_employee.id, kind="comment",
                                          delivery="email"))  # fmt: skip
    author = make_user(department=org.service, name=SECRET_NAME, email=SECRET_EMAIL)
    idea = make_idea(author, department=org.service, anonymous=True, title="Anonymous proposal")
    rules.set_vote(idea, org.other_employee, True)  # follows it now, and hears of comments
    rules.add_comment(idea, author, f"The author explains: the {COMMENT_WORD} form again.")
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
    rules.add_comment(asked, author, "And a comment after the answer.")
    done = make_idea(author, department=org.service, anonymous=True, title="Anonymous fix")
    lifecycle.just_do_it(done, author, cost=Decimal(20), change_summary="Fixed it myself.")
    promised = make_idea(author, department=org.service, anonymous=True, title="Anonymous promise")
    lifecycle.accept(promised, org.leader, owner=org.head, promise="We deliver.",
                     due_on=now().date() + timedelta(days=9))  # fmt: skip
    lifecycle.escalate(make_idea(author, department=org.service, anonymous=True), org.head)
    # Fair decisions: a reasoned decline with a revisit date, an idea filed into a campaign,
    # a scorecard (internal: employees never see scores).
    declined = make_idea(author, department=org.service, anonymous=True, title="Anonymous no")
    declines.add_default_reasons()
    declines.decline(declined, org.head, reason_id=declines.reasons()[0].id, note="Not now.",
                     change_our_mind="A cheaper way.",
                     revisit_on=now().date() + timedelta(days=30))  # fmt: skip
    campaign = campaigns.create_campaign(org.leader, question="Which form could go?",
                                         deadline=now().date() + timedelta(days=9))  # fmt: skip
    answer = make_idea(author, department=org.service, anonymous=True, title="Anonymous answer")
    campaigns.file_idea(campaign, answer, author)
    scorecards.score(answer, org.head, impact=5, effort=1, cost=1, risk=1, comment=SCORE_COMMENT)
    named = make_idea(org.other_employee, department=org.sales, title="Named proposal")
    _through_the_ledger(org, done, promised)
    db.session.commit()
    return author, idea, named


SCORE_COMMENT = "Internal scoring remark"


def _through_the_ledger(org, done, promised):
    """The anonymous ideas name a ledger item; one changed it, one has baseline and target;
    this month's review pack is made (as if it were next month)."""
    from suggestions.insights.review_pack import make_pack
    from suggestions.ledger import impact
    from suggestions.ledger import rules as ledger_rules

    item = ledger_rules.create_item(org.head, ledger_rules.ItemFields(
        "form", "Form T-12", "", org.service, None, 100, 20, 2, 1))  # fmt: skip
    for anonymous in (done, promised):
        ledger_rules.link_items(anonymous, [item.id])
    ledger_rules.record_change(
        done, org.head, ledger_rules.ChangeFields(item, "simplified", signatures_removed=1)
    )
    impact.record_plan(promised, org.leader, impact.Figures(20, 100), impact.Figures(5, 100))
    make_pack(now().date().replace(day=1), at=now() + timedelta(days=32))


WEBHOOK_EVENTS = ["idea.submitted", "idea.status_changed", "idea.comment",
                  "idea.official_answer", "idea.transferred", "idea.escalated"]  # fmt: skip


def pages(org, idea, named):
    yield "/ideas"
    yield f"/ideas?q={COMMENT_WORD}"  # the snippet from the author's comment
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
    yield "/campaigns"
    for campaign_id in db.session.scalars(select(campaigns.Campaign.id)):
        yield f"/campaigns/{campaign_id}"
    yield "/ledger"
    yield "/ledger/1"  # the form the anonymous ideas name, with its history
    yield "/measurements"


INSIGHTS = ["/insights", "/insights?range=365", "/insights/decisions", "/insights/figures.csv",
            "/ideas/export.csv", "/insights/figures.xlsx", "/ideas/export.xlsx"]  # fmt: skip


def _text_of(response) -> str:
    """The readable text of a page, a CSV, or an XLSX (its XML parts, unzipped)."""
    data = response.get_data()
    if data[:4] == b"%PDF":  # the review pack: its text, as pdftotext reads it
        found = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        return found.stdout.decode("utf-8", "replace")
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return data.decode("utf-8", "replace")


# The accept form offers every active person as the commitment's owner, the author among
# them: a list of everyone ties nobody to the idea (leaving the author out would).
_OWNER_CHOICES = re.compile(r'<select[^>]*name="accept-owner".*?</select>', re.S)


def _assert_nothing_secret(text: str, where: str) -> None:
    owner_lists = _OWNER_CHOICES.findall(text)
    assert all(SECRET_NAME in found for found in owner_lists), where  # everyone, always
    text = _OWNER_CHOICES.sub("", text)
    assert SECRET_NAME not in text, where
    assert SECRET_EMAIL not in text, where
    assert "wilhelmine" not in text.lower(), where


def _review_pack_pages() -> list[str]:
    month = f"/insights/review-packs/{now():%Y-%m}"
    pages = ["/insights/review-packs", month]
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # tests/ledger say plainly that the PDF was skipped
        return pages
    return pages + [f"{month}.pdf"] if shutil.which("pdftotext") else pages


ROLE_PAGES = {
    "admin": [
        "/admin/departments",
        "/admin/categories",
        "/admin/settings",
        "/admin/decisions",
        *INSIGHTS,
        *_review_pack_pages(),
    ],  # fmt: skip
    "head": ["/queue", "/queue?sort=score", *INSIGHTS],
    "other_head": ["/queue", *INSIGHTS],
    "leader": [
        "/queue",
        "/queue/leadership",
        "/queue/leadership?tab=overdue",
        "/queue/leadership?sort=score",
        *INSIGHTS,
        *_review_pack_pages(),
    ],  # fmt: skip
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
        _assert_nothing_secret(_text_of(response), url)
        if role == "employee":  # scorecards are internal
            assert SCORE_COMMENT not in _text_of(response), url
            assert "Scorecard" not in _text_of(response), url
    # The same pages as htmx asks for them (the comment pages, the search results).
    for url in (f"/ideas/{idea.id}?comments=1", f"/ideas?q={COMMENT_WORD}"):
        response = browser.get(url, headers={"HX-Request": "true"})
        _assert_nothing_secret(_text_of(response), f"{url} (htmx)")
    # The viewer's own personal-data download (a ZIP of JSON files).
    export = browser.post("/account/personal-data")
    assert export.status_code == 200
    _assert_nothing_secret(_text_of(export), "personal data")
    assert "Anonymous proposal" not in _text_of(export)
    fragment = browser.post(f"/ideas/{named.id}/vote", {"vote": "add"},
                            headers={"HX-Request": "true"}).get_data(as_text=True)  # fmt: skip
    assert "Wilhelmine" not in fragment
    # Positive control: the same crawl does show a named author.
    assert "Otto Other" in browser.get(f"/ideas/{named.id}").get_data(as_text=True)
    # The idea page says "Anonymous" and "The author" for the author's own actions.
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Anonymous" in page and "The author" in page
    # The author's comment is there, signed "The author", with no department beside it.
    comment = db.session.scalars(
        select(Comment).where(Comment.idea_id == idea.id, Comment.author_id == author.id)
    ).one()
    head = _comment_head(page, comment.id)
    assert "The author" in head and org.service.name not in head
    assert COMMENT_WORD in page


def _comment_head(page: str, comment_id: int) -> str:
    found = re.search(rf'id="comment-{comment_id}">\s*<p class="comment-head">(.*?)</p>', page,
                      re.S)  # fmt: skip
    assert found, f"comment {comment_id} is not on the page"
    return found.group(1)


def test_no_mail_or_webhook_call_names_the_anonymous_author(app, org, anonymous_idea):
    """What leaves the system: mails to others and every channel call."""
    author, idea, _ = anonymous_idea
    messages = db.session.scalars(select(OutboxMessage)).all()
    mails = [m for m in messages if m.channel == "email" and m.recipient != SECRET_EMAIL]
    calls = [m for m in messages if m.channel != "email"]
    assert mails and calls  # the crawl reads real messages, not an empty outbox
    assert any("The author" in (m.body_text or "") for m in mails)
    assert any("The author" in (m.payload or "") for m in calls)
    for message in mails + calls:
        for part in (message.subject, message.body_text, message.body_html, message.payload):
            _assert_nothing_secret(part or "", f"{message.channel} {message.kind}")


def test_admin_user_directory_shows_no_link_between_person_and_idea(browser, org, anonymous_idea):
    author, idea, _ = anonymous_idea
    browser.login(org.admin)
    for url in (
        "/admin/users",
        "/admin/users?q=wilhelmine",
        f"/admin/users/{author.id}",
        f"/admin/users/{author.id}/erase",
    ):
        body = browser.get(url).get_data(as_text=True)
        assert "Anonymous proposal" not in body and f"/ideas/{idea.id}" not in body


def test_the_author_sees_it_is_theirs(browser, org, anonymous_idea):
    author, idea, _ = anonymous_idea
    browser.login(author)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "only you see this" in page
    assert f"/ideas/{idea.id}" in browser.get("/ideas?mine=1").get_data(as_text=True)
    # Their personal-data download has their anonymous ideas: it goes to them alone.
    export = _text_of(browser.post("/account/personal-data"))
    assert "Anonymous proposal, edited" in export and COMMENT_WORD in export


def test_an_author_acting_in_another_role_is_not_called_the_author(browser, org):
    """The anonymous author made owner of the promise: their progress is the owner's (named,
    as every owner is), and nothing puts "the author" beside that name."""
    author = make_user(department=org.service, name=SECRET_NAME, email=SECRET_EMAIL)
    idea = make_idea(author, department=org.service, anonymous=True, title="Owned by its author")
    rules.set_vote(idea, org.other_employee, True)  # a follower hears of progress
    commitment = lifecycle.accept(idea, org.leader, owner=author, promise="Done in May.",
                                  due_on=now().date() + timedelta(days=9))  # fmt: skip
    lifecycle.post_commitment_update(commitment, author, "Halfway there.")
    db.session.commit()

    browser.login(org.other_employee)
    page = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    timeline = page.split('id="timeline-title"')[1]
    assert re.search(rf"<strong>{SECRET_NAME}</strong>\s*posted a progress update", timeline)
    assert not re.search(r"The author</strong>\s*posted a progress update", timeline)
    inbox = browser.get("/notifications").get_data(as_text=True)
    assert "The author posted progress" not in inbox


def test_just_do_it_on_an_anonymous_idea_says_what_it_reveals(browser, org):
    author = make_user(department=org.service, name=SECRET_NAME, email=SECRET_EMAIL)
    hidden = make_idea(author, department=org.service, anonymous=True, title="Hidden fix")
    named = make_idea(author, department=org.service, title="Named fix")
    browser.login(author)
    warning = "tells everyone that its author works in Customer Service"
    page = browser.get(f"/ideas/{hidden.id}").get_data(as_text=True)
    assert "I did it myself" in page and warning in page
    assert warning not in browser.get(f"/ideas/{named.id}").get_data(as_text=True)


def test_governance_pages_reveal_no_anonymous_author(browser, org, anonymous_idea):
    """The audit log, moderation (queue, record) and internal notes: the anonymous author's
    own actions are "author (anonymous)" / "The author", never a name."""
    from suggestions.governance import moderation, notes

    author, idea, _ = anonymous_idea
    comment = db.session.scalars(
        select(Comment).where(Comment.idea_id == idea.id, Comment.author_id == author.id)
    ).first()
    asked = make_idea(author, department=org.service, anonymous=True, title="Anonymous, reported")
    moderation.report(org.other_employee, asked, None, "confidential", "Names a supplier")
    moderation.report(org.other_employee, idea, comment, "personal_data", "")
    moderation.hide(org.admin, idea, comment, "personal_data")
    moderation.edit_hidden_comment(author, idea, comment, f"The {COMMENT_WORD} form, no names.")
    moderation.ask_review(author, idea, comment)
    notes.write_note(org.head, asked, "@Lea Leader: the supplier question again")
    db.session.commit()
    crawl = {
        "admin": ["/admin/audit", "/admin/audit?kind=idea.submitted", "/admin/audit.csv",
                  "/moderation", f"/moderation/comment/{comment.id}",
                  f"/moderation/idea/{asked.id}", f"/ideas/{asked.id}", f"/ideas/{idea.id}"],
        "head": [f"/ideas/{asked.id}", f"/ideas/{idea.id}"],
        "leader": [f"/ideas/{asked.id}", "/notifications"],
        "employee": [f"/ideas/{asked.id}", f"/ideas/{idea.id}", "/privacy"],
    }  # fmt: skip
    people = {"admin": org.admin, "head": org.head, "leader": org.leader,
              "employee": org.other_employee}  # fmt: skip
    for role, urls in crawl.items():
        browser.login(people[role])
        for url in urls:
            response = browser.get(url)
            assert response.status_code == 200, url
            _assert_nothing_secret(_text_of(response), f"{role} {url}")
        browser.logout()
    browser.login(org.admin)
    audit_page = browser.get("/admin/audit").get_data(as_text=True)
    assert "author (anonymous)" in audit_page  # positive control: the entries are there
    record = browser.get(f"/moderation/comment/{comment.id}").get_data(as_text=True)
    assert "The author" in record
