"""Kept comment fragments (ideas.comment_fragments) never show what another viewer sees, nor
what a comment was before: each test draws a page first (so its fragments are kept), then
changes the viewer or the comment and reads the page again."""

import re

from flask import current_app

from suggestions.auth.models import User
from suggestions.core.cache import SLOT, fragments
from suggestions.core.extensions import db
from suggestions.governance import moderation
from suggestions.ideas import rules

from ..factories import make_idea


def commented(org, author=None, body="Let us drop the second signature."):
    idea = make_idea(org.employee, department=org.service)
    comment = rules.add_comment(idea, author or org.other_employee, body)
    db.session.commit()
    return idea, comment


def comment_html(page: str, comment_id: int) -> str:
    """The comment's part of the page: up to the next comment or the comment form."""
    assert f'id="comment-{comment_id}"' in page, page[:500]
    rest = page.split(f'id="comment-{comment_id}"', 1)[1]
    return re.split(r'<div class="comment card|class="card form comment-form|</section>', rest)[0]


def test_the_page_draws_a_kept_comment_from_the_store(browser, org):
    idea, comment = commented(org)
    browser.login(org.employee)
    first = comment_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True), comment.id)
    again = comment_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True), comment.id)
    assert again == first and "Let us drop the second signature." in first
    assert len(fragments("comments", current_app)) == 1


def test_a_moderators_links_never_show_to_an_employee(browser, new_browser, org):
    idea, comment = commented(org)
    browser.login(org.admin)  # admins moderate
    assert "Moderate" in comment_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True),
                                      comment.id)  # fmt: skip
    reader = new_browser()
    reader.login(org.employee)
    shown = comment_html(reader.get(f"/ideas/{idea.id}").get_data(as_text=True), comment.id)
    assert "Moderate" not in shown and f"/moderation/comment/{comment.id}" not in shown
    assert "Report" in shown  # the employee's own link, not the moderator's page


def test_a_heads_form_carries_the_heads_own_token(browser, new_browser, org):
    idea, comment = commented(org)
    browser.login(org.head)
    first = browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Mark as official answer" in comment_html(first, comment.id)
    other = new_browser()
    other.login(org.head)  # the same person in another browser: same permissions, own session
    page = other.get(f"/ideas/{idea.id}").get_data(as_text=True)
    tokens = re.findall(r'name="csrf_token" value="([^"]+)"', comment_html(page, comment.id))
    assert tokens == [other.csrf_token] and browser.csrf_token != other.csrf_token
    assert SLOT not in page
    answer = other.post(f"/ideas/{idea.id}/comments/{comment.id}/official",
                        {"official": "1", "csrf_token": tokens[0]})  # fmt: skip
    assert answer.status_code == 302


def test_marking_official_shows_at_once(browser, org):
    idea, comment = commented(org)
    browser.login(org.head)
    assert "Official answer<" not in browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    browser.post(f"/ideas/{idea.id}/comments/{comment.id}/official", {"official": "1"})
    shown = comment_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True), comment.id)
    assert "badge-official" in shown and "Remove official mark" in shown


def test_a_hidden_comment_disappears_at_once_and_its_change_shows_at_once(
    browser, new_browser, org
):
    idea, comment = commented(org, body="Call Otto on 0171 555 1234.")
    reader = new_browser()
    reader.login(org.employee)
    assert "0171 555 1234" in reader.get(f"/ideas/{idea.id}").get_data(as_text=True)
    author = new_browser()
    author.login(org.other_employee)
    assert "0171 555 1234" in author.get(f"/ideas/{idea.id}").get_data(as_text=True)

    moderation.hide(org.admin, idea, comment, "personal_data")
    db.session.commit()
    page = reader.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "0171 555 1234" not in page and "Hidden by moderation" in page
    # Its author still reads their words, with the way back.
    shown = comment_html(author.get(f"/ideas/{idea.id}").get_data(as_text=True), comment.id)
    assert "0171 555 1234" in shown and "Change your comment" in shown and "Report" not in shown

    moderation.edit_hidden_comment(org.other_employee, idea, comment, "Please call Otto.")
    db.session.commit()
    shown = comment_html(author.get(f"/ideas/{idea.id}").get_data(as_text=True), comment.id)
    assert "Please call Otto." in shown and "0171 555 1234" not in shown


def test_an_anonymous_author_stays_anonymous_in_kept_comments(browser, new_browser, org):
    idea = make_idea(org.employee, department=org.service, anonymous=True)
    own = rules.add_comment(idea, org.employee, "I wrote this idea.")
    db.session.commit()
    for person in (org.employee, org.other_employee, org.admin):
        viewer = new_browser()
        viewer.login(person)
        shown = comment_html(viewer.get(f"/ideas/{idea.id}").get_data(as_text=True), own.id)
        assert "The author" in shown
        assert org.employee.display_name not in shown and org.service.name not in shown


def test_a_renamed_author_and_the_language_are_part_of_the_fragment(browser, org):
    idea, comment = commented(org)
    browser.login(org.employee)
    assert "Otto Other" in browser.get(f"/ideas/{idea.id}").get_data(as_text=True)
    db.session.get(User, org.other_employee.id).display_name = "Otto Neumann"
    db.session.get(User, org.employee.id).language = "de"
    db.session.commit()
    shown = comment_html(browser.get(f"/ideas/{idea.id}").get_data(as_text=True), comment.id)
    assert "Otto Neumann" in shown and ">Report<" not in shown  # drawn again, in German
