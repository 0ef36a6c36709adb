"""Possible duplicates help the person who triages only when they are likely: ideas that share
enough of their words, shown while the idea can still be merged."""

from suggestions.core.extensions import db
from suggestions.ideas import search
from suggestions.workflow import lifecycle

from ..factories import make_idea

MEETING = ("Stop the weekly status meeting",
           "The weekly status meeting takes two hours and nobody reads the minutes.")  # fmt: skip
RELATED = ("Replace the status meeting with a written weekly update",
           "Every Monday the whole team sits two hours in a status meeting.")  # fmt: skip
UNRELATED = [
    ("Refunds for customers within a day", "Customers wait two weeks for their refunds."),
    ("Send the delivery status by SMS", "Customers call us to ask where their parcel is."),
    ("Canteen opens at seven", "Early shifts start before the canteen opens."),
]


def _idea(author, title_and_problem, department):
    title, problem = title_and_problem
    return make_idea(author, title=title, problem=problem, department=department)


def test_only_clearly_related_ideas_are_possible_duplicates(org):
    meeting = _idea(org.employee, MEETING, org.service)
    related = _idea(org.other_employee, RELATED, org.sales)
    unrelated = [_idea(org.other_employee, pair, org.sales) for pair in UNRELATED]
    db.session.commit()
    assert search.similar_ideas(meeting) == [related]
    assert search.similar_ideas(related) == [meeting]
    for idea in unrelated:
        assert meeting not in search.similar_ideas(idea) and related not in search.similar_ideas(
            idea
        )


def test_a_draft_finds_the_related_idea_and_not_the_unrelated(org):
    related = _idea(org.other_employee, RELATED, org.sales)
    for pair in UNRELATED:
        _idea(org.other_employee, pair, org.sales)
    assert search.similar_to_text(*MEETING) == [related]
    assert search.similar_to_text("status meeting") == [related]
    assert search.similar_to_text("Status of my parcel delivery by SMS") != [related]


def test_the_duplicates_panel_is_gone_once_the_idea_is_decided(browser, org):
    meeting = _idea(org.employee, MEETING, org.service)
    _idea(org.other_employee, RELATED, org.sales)
    browser.login(org.head)
    page = browser.get(f"/ideas/{meeting.id}").get_data(as_text=True)
    assert "Possible duplicates" in page and RELATED[0] in page
    lifecycle.transition(meeting, "decline", org.head, note="Cost.")
    db.session.commit()
    page = browser.get(f"/ideas/{meeting.id}").get_data(as_text=True)
    assert "Possible duplicates" not in page and RELATED[0] not in page
