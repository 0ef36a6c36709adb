"""Search: stemming in both languages, ranking, safe snippets, an index in step with every
change, bad input that never breaks, similar ideas and duplicate hints."""

from __future__ import annotations

import re

import pytest
from flask_migrate import downgrade, upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text, update
from werkzeug.datastructures import MultiDict

from suggestions import create_app
from suggestions.auth.models import User
from suggestions.core.cache import fragments
from suggestions.core.config import ConfigError
from suggestions.core.extensions import db
from suggestions.ideas import rules, search
from suggestions.ideas.models import Idea, IdeaStatus, Vote
from suggestions.ideas.queries import IdeaFilter, list_ideas
from suggestions.workflow.lifecycle import transition

from ..factories import make_idea

GERMAN = {"SEARCH_LANGUAGE": "de"}


def found(viewer, q: str, **filters) -> list[str]:
    filters.setdefault("sort", "relevance")
    page = list_ideas(viewer, IdeaFilter(q=q, **filters))
    return [idea.title for idea in page.items]


def edit(idea: Idea, author, **changes) -> None:
    text_ = rules.IdeaText(
        title=changes.get("title", idea.title),
        problem=changes.get("problem", idea.problem),
        proposal=changes.get("proposal", idea.proposal),
        benefit=changes.get("benefit", idea.benefit),
        category=idea.category,
        owning_department=idea.owning_department,
        affected_departments=list(idea.affected_departments),
    )
    rules.edit_idea(idea, author, text_)
    db.session.commit()


# --- Stemming -------------------------------------------------------------------------------


def test_english_finds_other_forms_of_a_word(org):
    make_idea(org.employee, title="Fewer approvals for small purchases")
    make_idea(org.employee, title="Printer paper runs out", problem="Nobody is responsible.")
    assert found(org.employee, "approval") == ["Fewer approvals for small purchases"]
    assert found(org.employee, "APPROVING") == ["Fewer approvals for small purchases"]
    assert found(org.employee, "responsibility") == ["Printer paper runs out"]
    assert found(org.employee, "papers printer") == ["Printer paper runs out"]
    assert found(org.employee, "approval printer") == []


@pytest.mark.parametrize("config_overrides", [GERMAN])
def test_german_finds_other_forms_of_a_word(org):
    make_idea(org.employee, title="Drei Genehmigungen für einen Hefter",
              problem="Die Ärzte warten auf Formulare.")  # fmt: skip
    make_idea(org.employee, title="Parkplätze für Besucher", problem="Es gibt keine.")
    assert found(org.employee, "Genehmigung") == ["Drei Genehmigungen für einen Hefter"]
    assert found(org.employee, "genehmigen") == ["Drei Genehmigungen für einen Hefter"]
    assert found(org.employee, "Arzt Formular") == ["Drei Genehmigungen für einen Hefter"]
    assert found(org.employee, "Parkplatz") == ["Parkplätze für Besucher"]


def test_words_are_stemmed_in_the_configured_language_only():
    assert search.parse_query("Genehmigungen", "de").stems == ("genehm",)
    assert search.parse_query("Ärzte", "de").stems == search.parse_query("Arzt", "de").stems
    assert search.parse_query("approvals", "en").stems == ("approv",)
    # Stop words of each language are left out; what remains is what is searched for.
    assert search.parse_query("die Genehmigung und der Antrag", "de").words == (
        "genehmigung", "antrag",
    )  # fmt: skip
    assert search.parse_query("the approval of the form", "en").words == ("approval", "form")


def test_search_language_comes_from_the_setting_or_the_default_language(tmp_path):
    base = {"FREIRAUM_ENV": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x"}
    assert create_app(base).config["SEARCH_LANGUAGE"] == "en"
    assert create_app(base | {"BABEL_DEFAULT_LOCALE": "de"}).config["SEARCH_LANGUAGE"] == "de"
    assert create_app(base | {"SEARCH_LANGUAGE": "DE"}).config["SEARCH_LANGUAGE"] == "de"
    with pytest.raises(ConfigError, match="SEARCH_LANGUAGE"):
        create_app(base | {"SEARCH_LANGUAGE": "fr"})


# --- Ranking, filters, sorts, pages ---------------------------------------------------------


def test_title_match_ranks_above_text_match_above_comment_match(org):
    plain = {"problem": "Supplies are slow.", "proposal": "Order online.", "benefit": "Time."}
    in_title = make_idea(org.employee, title="Stapler requests need three signatures", **plain)
    in_comment = make_idea(org.employee, title="Office supplies take weeks", **plain)
    rules.add_comment(in_comment, org.other_employee, "Same with every stapler, honestly.")
    in_text = make_idea(org.employee, title="Ordering is slow", problem="A stapler took a month.",
                        proposal="Order online.", benefit="Time.")  # fmt: skip
    db.session.commit()
    assert found(org.employee, "stapler") == [in_title.title, in_text.title, in_comment.title]
    # Other orders still work with a search, and only the matches are listed.
    make_idea(org.employee, title="Nothing to do with it", **plain)
    rules.set_vote(in_comment, org.head, True)
    db.session.commit()
    assert found(org.employee, "stapler", sort="top")[0] == in_comment.title
    assert found(org.employee, "stapler", sort="new") == [
        in_text.title, in_comment.title, in_title.title,
    ]  # fmt: skip


def test_more_words_in_the_title_rank_higher_then_the_text_then_comments(org):
    plain = {"problem": "Nothing here.", "proposal": "Nothing.", "benefit": "Time."}
    both = make_idea(org.employee, title="Travel form approval", **plain)
    one = make_idea(org.employee, title="Travel rules", problem="One form for it.",
                    proposal="Nothing.", benefit="Time.")  # fmt: skip
    text = make_idea(org.employee, title="Trips", problem="The travel form is long.",
                     proposal="Nothing.", benefit="Time.")  # fmt: skip
    talk = make_idea(org.employee, title="Trips again", **plain)
    rules.add_comment(talk, org.head, "A travel form for this, please.")
    db.session.commit()
    # The newest first among equals: the order of creation does not decide here.
    assert found(org.employee, "form travel") == [both.title, one.title, text.title, talk.title]


def test_a_word_counts_in_the_title_only_as_a_whole_word(org):
    plain = {"problem": "Nothing.", "proposal": "Nothing.", "benefit": "Time."}
    whole = make_idea(org.employee, title="Form rules", **plain)
    # Newer, so by age alone it would come first: "platform" holds "form" but is not it.
    inside = make_idea(org.employee, title="Platform rules", problem="Use one form.",
                       proposal="Nothing.", benefit="Time.")  # fmt: skip
    assert found(org.employee, "form") == [whole.title, inside.title]


def test_the_ranking_looks_at_the_newest_matches_and_says_so(browser, org, monkeypatch):
    plain = {"problem": "Nothing.", "proposal": "Nothing.", "benefit": "Time."}
    oldest = make_idea(org.employee, title="Invoice approval", **plain)
    for n in range(4):
        make_idea(org.employee, title=f"Rule {n}", problem="An invoice.", proposal="Nothing.",
                  benefit="Time.")  # fmt: skip
    monkeypatch.setattr(search.limits, "RANK_CANDIDATES", 3)
    # The best match overall is older than the three newest: by relevance it is not listed,
    # and the page says where the ranking looked; the other orders list every match.
    assert found(org.employee, "invoice") == ["Rule 3", "Rule 2", "Rule 1"]
    assert len(found(org.employee, "invoice", sort="new")) == 5
    assert found(org.employee, "invoice", sort="new")[-1] == oldest.title
    browser.login(org.employee)
    page = browser.get("/ideas?q=invoice").get_data(as_text=True)
    assert "5 ideas" in page and "Best matches among the newest 3." in page
    assert "Best matches among" not in browser.get("/ideas?q=invoice&sort=new").get_data(
        as_text=True
    )
    monkeypatch.undo()
    assert found(org.employee, "invoice")[0] == oldest.title
    assert "Best matches among" not in browser.get("/ideas?q=invoice").get_data(as_text=True)


@pytest.mark.parametrize("sort", ["relevance", "top"])
def test_search_cards_carry_what_the_ideas_carry(app, org, sort):
    plain = make_idea(org.other_employee, title="Stapler rules", department=org.sales)
    anonymous = make_idea(org.other_employee, title="Stapler secrets", anonymous=True)
    rules.set_vote(plain, org.employee, True)
    rules.set_vote(anonymous, org.head, True)
    db.session.commit()
    with app.test_request_context("/ideas"):
        ideas = list_ideas(org.employee, IdeaFilter(q="stapler", sort=sort))
        cards = list_ideas(org.employee, IdeaFilter(q="stapler", sort=sort), cards=True)
    assert [c.id for c in cards.items] == [i.id for i in ideas.items]
    assert cards.voted_ids == ideas.voted_ids == {plain.id}
    assert (cards.total, cards.capped) == (ideas.total, ideas.capped) == (2, False)
    for card, idea in zip(cards.items, ideas.items, strict=True):
        assert (card.title, card.vote_count, card.status) == (idea.title, idea.vote_count,
                                                              idea.status)  # fmt: skip
    by_id = {card.id: card for card in cards.items}
    assert by_id[anonymous.id].author.display_name == ""  # by id only, never by name
    assert set(cards.snippets) == {plain.id, anonymous.id}
    assert "<mark>Stapler</mark>" in cards.snippets[plain.id].title


def test_an_anonymous_author_is_not_found_by_name(browser, org):
    name = org.other_employee.display_name = "Wilhelmine Quast"
    hidden = make_idea(org.other_employee, title="Badge printer queue", anonymous=True)
    rules.add_comment(hidden, org.other_employee, "Badge printers again.")
    db.session.commit()
    assert found(org.employee, name) == [] and found(org.employee, "Quast") == []
    browser.login(org.employee)
    page = browser.get("/ideas", query_string={"q": "badge"}).get_data(as_text=True)
    assert "<mark>Badge</mark> printer queue" in page and name not in page


def test_a_hidden_idea_still_in_the_index_is_never_shown(org):
    shown = make_idea(org.employee, title="Stapler shortage")
    stale = make_idea(org.employee, title="Stapler rant")
    db.session.commit()
    # Hidden with plain SQL, past the listener: the index still holds it until reindexed.
    db.session.execute(update(Idea).where(Idea.id == stale.id).values(hidden_reason="spam"))
    db.session.commit()
    for sort in ("relevance", "top", "new"):
        assert found(org.employee, "stapler", sort=sort) == [shown.title]


def test_all_words_must_match(org):
    make_idea(org.employee, title="Travel expenses on one form")
    make_idea(org.employee, title="Travel booking by phone")
    assert found(org.employee, "travel form") == ["Travel expenses on one form"]
    assert sorted(found(org.employee, "travel")) == [
        "Travel booking by phone", "Travel expenses on one form",
    ]  # fmt: skip


def test_search_combines_with_the_list_filters(org):
    ours = make_idea(org.employee, title="Refund approvals in service", department=org.service)
    make_idea(org.other_employee, title="Refund approvals in sales", department=org.sales)
    assert found(org.employee, "refund", department_id=org.service.id) == [ours.title]
    assert found(org.employee, "refund", mine=True, sort="top") == [ours.title]
    transition(ours, "withdraw", org.employee)
    db.session.commit()
    assert found(org.employee, "refund", status=IdeaStatus.WITHDRAWN) == [ours.title]
    assert found(org.employee, "refund", status=IdeaStatus.NEW) == ["Refund approvals in sales"]


@pytest.mark.parametrize("config_overrides", [{"IDEAS_PER_PAGE": 2}])
def test_search_results_are_paginated_and_links_keep_the_search(browser, org):
    for n in range(5):
        make_idea(org.employee, title=f"Invoice problem number {n}")
    make_idea(org.employee, title="Something else entirely")
    browser.login(org.employee)
    first = browser.get("/ideas?q=invoice").get_data(as_text=True)
    assert first.count('class="card idea-card"') == 2
    assert "5 ideas" in first
    next_link = re.search(r'href="([^"]+)" rel="next"', first).group(1)
    assert "q=invoice" in next_link and "page=2" in next_link
    third = browser.get(next_link.replace("&amp;", "&").replace("page=2", "page=3"))
    assert third.get_data(as_text=True).count('class="card idea-card"') == 1
    # The sort "Best match" is offered with a search and is its default.
    assert '<option value="relevance" selected>' in first
    plain = browser.get("/ideas").get_data(as_text=True)
    assert 'value="relevance"' not in plain


@pytest.mark.parametrize("config_overrides", [{"IDEAS_PER_PAGE": 2, "RESULT_COUNT_CAP": 3}])
@pytest.mark.parametrize("sort", ["relevance", "top"])
def test_a_search_counts_its_matches_up_to_the_cap_and_knows_the_viewers_votes(
    org, sort, monkeypatch
):
    ideas = [
        make_idea(org.other_employee, title=f"Invoice rule {n}",
                  department=org.service if n < 2 else org.sales)
        for n in range(5)
    ]  # fmt: skip
    make_idea(org.other_employee, title="Unrelated")
    rules.set_vote(ideas[3], org.employee, True)
    rules.set_vote(ideas[1], org.head, True)
    db.session.commit()

    def page(number=1, **filters):
        return list_ideas(org.employee, IdeaFilter(q="invoice", sort=sort, page=number, **filters))

    first = page()
    assert (len(first.items), first.total, first.capped, first.has_next) == (2, 3, True, True)
    assert len(page(3).items) == 1
    past = page(4)  # past the last match: no rows, the count is still told
    assert (past.items, past.total, past.capped) == ([], 3, True)
    in_service = page(department_id=org.service.id)
    assert (in_service.total, in_service.capped) == (2, False)
    assert {i.title for i in in_service.items} == {"Invoice rule 0", "Invoice rule 1"}
    # Fewer candidates ranked than the cap: the count still goes to the cap, and the list by
    # relevance ends with the candidates (the other orders list every match).
    monkeypatch.setattr(search.limits, "RANK_CANDIDATES", 3)
    assert (page().total, page().capped) == (3, True)
    second = page(2)
    expected = (1, False) if sort == "relevance" else (2, True)
    assert (len(second.items), second.has_next) == expected
    monkeypatch.undo()
    nothing = list_ideas(org.employee, IdeaFilter(q="nothingmatches", sort=sort))
    assert (nothing.items, nothing.total, nothing.capped) == ([], 0, False)
    # Whether the viewer voted comes with the rows: their vote only, not someone else's.
    shown = [i for n in (1, 2, 3) for i in page(n).items]
    assert sorted(i.title for i in shown) == sorted(i.title for i in ideas)
    voted = set().union(*(page(n).voted_ids for n in (1, 2, 3)))
    assert voted == {ideas[3].id}


def test_a_kept_search_statement_runs_with_each_searchs_own_values(app, org, monkeypatch):
    """A results page's statement is built once per shape and kept: every search, page,
    viewer and limit must still get its own rows, never the ones it was built with."""
    invoices = [make_idea(org.other_employee, title=f"Invoice rule {n}") for n in range(5)]
    printers = [make_idea(org.other_employee, title=f"Printer rule {n}") for n in range(2)]
    make_idea(org.other_employee, title="Unrelated rule")
    rules.set_vote(invoices[4], org.employee, True)
    rules.set_vote(invoices[3], org.head, True)
    db.session.commit()
    kept = fragments("search_statements", app)
    kept.clear()

    def page(viewer, q, number=1, **filters):
        with app.test_request_context("/ideas"):
            f = IdeaFilter(q=q, page=number, sort="relevance", **filters)
            return list_ideas(viewer, f, 2, cards=True)

    first = page(org.employee, "invoice rule")
    assert [c.title for c in first.items] == ["Invoice rule 4", "Invoice rule 3"]
    assert (first.total, first.voted_ids) == (5, {invoices[4].id})
    assert len(kept) == 1
    # The same statement, other words: their own matches and count.
    other = page(org.employee, "printer rule")
    assert [c.title for c in other.items] == ["Printer rule 1", "Printer rule 0"]
    assert (other.total, other.voted_ids, len(kept)) == (2, set(), 1)
    assert [c.id for c in page(org.employee, "invoice rule", 3).items] == [invoices[0].id]
    # Another viewer: their own votes.
    assert page(org.head, "invoice rule").voted_ids == {invoices[3].id}
    assert len(kept) == 1
    # The limits as they are now, not as they were when the statement was built.
    monkeypatch.setattr(search.limits, "RANK_CANDIDATES", 3)
    ranked = page(org.employee, "invoice rule", 2)
    assert ([c.title for c in ranked.items], ranked.has_next) == (["Invoice rule 2"], False)
    monkeypatch.undo()
    # A filter with a value of its own is built each time (it has no name to run it with).
    only = page(org.employee, "rule", category_id=printers[0].category_id)
    assert {c.id for c in only.items} <= {i.id for i in invoices + printers}
    assert page(org.employee, "rule", status="nonexistent").items == []
    # Edited after the statement was kept: found by its new words only.
    edit(printers[0], org.other_employee, title="Invoice printer")
    assert "Invoice printer" in [c.title for c in page(org.employee, "invoice printer").items]
    assert [c.title for c in page(org.employee, "printer rule").items] == ["Printer rule 1"]


def test_a_kept_snippet_follows_every_edit_and_each_searchs_words(app, org):
    idea = make_idea(org.employee, title="Invoice rules", problem="Invoices wait for weeks.",
                     proposal="Nothing.", benefit="Time.")  # fmt: skip
    kept = fragments("snippets", app)
    kept.clear()

    def snippet(q):
        with app.test_request_context("/ideas"):
            page = list_ideas(org.employee, IdeaFilter(q=q, sort="relevance"), cards=True)
        return page.snippets[idea.id]

    first = snippet("invoice")
    assert "<mark>Invoices</mark> wait for weeks." in first.text and len(kept) == 1
    assert snippet("invoice").text == first.text and len(kept) == 1
    # Other words: their own marks, not the kept ones.
    assert snippet("weeks").text == "Invoices wait for <mark>weeks</mark>."
    assert snippet("weeks").title == "Invoice rules"
    # Edited: the new text, marked.
    edit(idea, org.employee, title="Invoice <b>rules</b>", problem="Invoices wait for days.")
    edited = snippet("invoice")
    assert "<mark>Invoices</mark> wait for days." in edited.text
    assert edited.title == "<mark>Invoice</mark> &lt;b&gt;rules&lt;/b&gt;"
    # A passage found in a comment is looked up each time: a new comment is found.
    edit(idea, org.employee, problem="Nothing.")
    assert found(org.employee, "weeks") == []
    rules.add_comment(idea, org.other_employee, "Some wait for weeks.")
    db.session.commit()
    found_in_comment = snippet("weeks")
    assert found_in_comment.in_comment and "<mark>weeks</mark>" in found_in_comment.text


def test_filter_reads_the_search_leniently():
    def read(**args):
        return IdeaFilter.from_args(MultiDict(args))

    assert read(q="  stapler  ").sort == "relevance"
    assert read(q="x", sort="top").sort == "top"
    assert read(sort="relevance").sort == "top"  # nothing to rank
    assert len(read(q="a" * 5000).q) == 500
    assert read(q="stapler").query_args(page=2) == {"q": "stapler", "page": 2}


# --- Snippets -------------------------------------------------------------------------------


def test_results_show_marked_snippets_and_user_text_stays_escaped(browser, org):
    idea = make_idea(
        org.employee,
        title="<script>alert(1)</script> stapler",
        problem="An <img src=x onerror=alert(2)> for every **stapler** & more.",
    )
    rules.add_comment(idea, org.other_employee, "<b>bold</b> claim")
    other = make_idea(org.employee, title="Quiet idea", problem="Nothing.", proposal="Nothing.")
    rules.add_comment(other, org.head, 'A "stapler" <iframe src=//evil> in a comment')
    db.session.commit()
    browser.login(org.employee)
    page = browser.get("/ideas?q=stapler").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<iframe" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>stapler</mark>" in page
    assert "&lt;img src=x onerror=alert(2)&gt; for every <mark>stapler</mark> &amp; more." in page
    assert "In a comment:" in page
    assert "A &#34;<mark>stapler</mark>&#34; &lt;iframe src=//evil&gt; in a comment" in page
    # What was typed is shown back escaped too, also when nothing matches.
    empty = browser.get("/ideas", query_string={"q": "<b>zzz</b>"}).get_data(as_text=True)
    assert "<b>zzz" not in empty and "&lt;b&gt;zzz&lt;/b&gt;" in empty


def test_a_search_word_cannot_smuggle_markup_into_a_snippet():
    stems = search.parse_query("mark script", "en").stems
    html = search.excerpt("<mark>x</mark> and <script>", stems, "en")
    assert str(html) == (
        "&lt;<mark>mark</mark>&gt;x&lt;/<mark>mark</mark>&gt; and &lt;<mark>script</mark>&gt;"
    )


def test_a_long_text_is_cut_around_the_first_match():
    source = " ".join(["filler"] * 100) + " the stapler is here " + " ".join(["tail"] * 100)
    html = str(search.excerpt(source, ("stapler",), "en"))
    assert html.startswith("…") and html.endswith("…") and "<mark>stapler</mark>" in html
    assert len(html) < 300


# --- The index in step with every change ----------------------------------------------------


def test_an_edit_is_found_by_its_new_words_only(org):
    idea = make_idea(org.employee, title="Parking permits by paper form")
    edit(idea, org.employee, title="Parking permits online")
    assert found(org.employee, "online") == ["Parking permits online"]
    assert found(org.employee, "paper") == []


def test_a_rolled_back_edit_leaves_the_index_as_it_was(org):
    idea = make_idea(org.employee, title="Holiday requests by mail")
    idea.title = "Holiday requests by carrier pigeon"
    db.session.flush()
    assert found(org.employee, "pigeon") == [idea.title]  # same transaction: already visible
    db.session.rollback()
    assert found(org.employee, "pigeon") == []
    assert found(org.employee, "mail") == ["Holiday requests by mail"]


def test_comments_count_towards_their_idea(org):
    idea = make_idea(org.employee, title="Canteen opening hours")
    make_idea(org.employee, title="Unrelated")
    rules.add_comment(idea, org.other_employee, "The microwave queue is the real problem.")
    db.session.commit()
    assert found(org.employee, "microwave") == ["Canteen opening hours"]


def test_reindex_and_remove_for_changes_the_listener_cannot_see(org):
    idea = make_idea(org.employee, title="Badge printing takes days")
    rules.add_comment(idea, org.head, "Reception could make them.")
    db.session.commit()
    # A merge or moderation may change rows with plain SQL: reindex_idea catches up.
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(title="Badges at reception"))
    db.session.commit()
    assert found(org.employee, "printing") == ["Badges at reception"]  # stale until reindexed
    search.reindex_idea(db.session.get(Idea, idea.id))
    db.session.commit()
    assert found(org.employee, "printing") == []
    assert found(org.employee, "badge") == ["Badges at reception"]
    # Hidden by moderation: gone from search, and a later comment does not bring it back.
    search.remove_from_index(idea)
    db.session.commit()
    assert found(org.employee, "badge") == [] and found(org.employee, "reception") == []
    rules.add_comment(idea, org.leader, "Another badge comment.")
    db.session.commit()
    assert found(org.employee, "badge") == []
    search.reindex_idea(idea)
    db.session.commit()
    assert found(org.employee, "another badge") == ["Badges at reception"]


def test_comments_moved_by_a_merge_move_their_words(org):
    survivor = make_idea(org.employee, title="Survivor idea")
    merged = make_idea(org.other_employee, title="Merged idea")
    comment = rules.add_comment(merged, org.head, "Talk about the whiteboard here.")
    db.session.commit()
    assert found(org.employee, "whiteboard") == ["Merged idea"]
    comment.idea_id = survivor.id  # an ORM change: the listener reindexes both ideas
    db.session.commit()
    assert found(org.employee, "whiteboard") == ["Survivor idea"]


def test_a_deleted_idea_leaves_the_index(org):
    idea = make_idea(org.employee, title="Temporary idea about lockers")
    db.session.delete(idea)
    db.session.commit()
    assert found(org.employee, "lockers") == []
    count = db.session.scalar(text("SELECT count(*) FROM idea_search"))
    assert count == 0


def test_comment_text_is_indexed_up_to_a_budget_the_same_way_every_time(app, org, monkeypatch):
    monkeypatch.setattr(search.limits, "COMMENT_CHARS", 40)
    idea = make_idea(org.employee, title="Long discussion")
    rules.add_comment(idea, org.head, "First comment mentions kettles.")  # 31 characters
    rules.add_comment(idea, org.head, "Second about toasters and blenders.")  # cut after 9
    rules.add_comment(idea, org.head, "Third: dishwasher.")  # over the budget
    db.session.commit()

    def visible():
        return {w: bool(found(org.employee, w)) for w in ("kettle", "second", "toaster", "dish")}

    before = visible()
    assert before == {"kettle": True, "second": True, "toaster": False, "dish": False}
    db.session.commit()  # the command writes through its own connection
    result = app.test_cli_runner().invoke(args=["rebuild-search-index", "--batch-size", "1"])
    assert result.exit_code == 0 and "1 ideas" in result.output
    assert visible() == before


def test_rebuild_command_restores_a_lost_or_stale_index(app, org):
    make_idea(org.employee, title="Rebuilt idea about keys")
    db.session.execute(text("DELETE FROM idea_search"))
    db.session.commit()
    assert found(org.employee, "keys") == []
    db.session.commit()  # the command writes through its own connection
    result = app.test_cli_runner().invoke(args=["rebuild-search-index"])
    assert result.exit_code == 0, result.output
    assert "Search index rebuilt: 1 ideas (en)." in result.output
    assert found(org.employee, "keys") == ["Rebuilt idea about keys"]


def test_the_migration_builds_the_index_from_existing_ideas(app, org):
    idea = make_idea(org.employee, title="Existed before search")
    rules.add_comment(idea, org.head, "A comment about forklifts.")
    db.session.commit()
    viewer_id = org.employee.id
    db.session.remove()
    downgrade(revision="0003_search-1")  # just before the search index
    try:
        upgrade(revision="0003_search")
    finally:
        upgrade()
    assert found(db.session.get(User, viewer_id), "forklift") == ["Existed before search"]


def test_the_migration_runs_a_frozen_copy_not_the_live_search_code():
    from pathlib import Path

    source = (Path(__file__).parents[2] / "migrations/versions/0003_search.py").read_text()
    assert not re.search(r"^\s*(from|import) suggestions\b", source, flags=re.M)


# --- Bad input ------------------------------------------------------------------------------

HOSTILE = [
    '"', '""', "'", "''", "AND", "OR", "NOT", "NEAR(a b)", "a OR", "*", "a*", "^a", "-a", "+a",
    "title:stapler", "{title}: stapler", "title : x", "stapler\"", "(((", ")", "a AND (b",
    "'; DROP TABLE ideas; --", "1=1", "%", "_", "\\", "a:*", "!a", "a & b", "a | b", "a <-> b",
    "<script>alert(1)</script>", "\x00", "\u200b", "🙂 stapler 🙂", "ﬁle", "the", "the and of",
    "der die das und", "x" * 10_000, "stapler " * 500, " ", "\n\t",
]  # fmt: skip


@pytest.fixture
def corpus(org):
    titles = ['Stapler "quotes" AND OR NOT', "Form: title:* {braces} (parens)",
              "Ümläut café résumé", "NEAR(this that) ^caret -minus",
              "Plain idea about staplers"]  # fmt: skip
    for title in titles:
        idea = make_idea(org.employee, title=title, problem=f"{title} problem text")
        rules.add_comment(idea, org.head, f"Comment with {title}")
    db.session.commit()
    return org


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_search_strings_never_fail(corpus, q):
    for sort in ("relevance", "top", "new"):
        page = list_ideas(corpus.employee, IdeaFilter(q=q[:500], sort=sort))
        assert page.search is not None
    assert search.similar_to_text(q, q) is not None


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.text(max_size=300) | st.lists(st.sampled_from([*HOSTILE, "stapler", "form"])).map(" ".join)
)
def test_generated_search_strings_never_fail(corpus, q):
    page = list_ideas(corpus.employee, IdeaFilter.from_args(MultiDict({"q": q})))
    assert page.total >= len(page.items)
    search.similar_to_text(q, q)
    db.session.rollback()


@given(q=st.text(max_size=400))
def test_a_query_only_ever_holds_letters_and_digits(q):
    for language in ("en", "de"):
        parsed = search.parse_query(q, language)
        assert len(parsed.stems) <= search.MAX_QUERY_TERMS
        for term in parsed.words + parsed.stems:
            assert re.fullmatch(r"[^\W_]+", term), term


def test_hostile_search_pages_answer_with_a_page_and_a_hint(browser, corpus):
    browser.login(corpus.employee)
    for q in ('"', "NEAR(", "'; DROP TABLE ideas; --", "x" * 5000):
        response = browser.get("/ideas", query_string={"q": q})
        assert response.status_code == 200, q
    stop = browser.get("/ideas?q=the+and+of").get_data(as_text=True)
    assert "Nothing to search for" in stop
    many = " ".join(f"word{n}" for n in range(30))
    long_page = browser.get("/ideas", query_string={"q": many}).get_data(as_text=True)
    assert "only its first 12 words were used" in long_page
    nothing = browser.get("/ideas?q=zebra").get_data(as_text=True)
    assert "No ideas match “zebra”" in nothing and "Share it as a new idea" in nothing
    assert browser.get("/ideas", query_string={"q": "stapler"}).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 5


# --- Similar ideas while writing, duplicate hints ---------------------------------------------


UNRELATED_TOPICS = ["parking", "canteen", "printer", "laptop", "holiday", "badge", "coffee"]


def test_similar_ideas_are_the_closest_open_ones(org):
    # Some unrelated ideas, as in any real installation (bm25 weighs words by their rarity).
    for topic in UNRELATED_TOPICS:
        make_idea(org.other_employee, title=f"Better {topic} rules", problem=f"Bad {topic}.",
                  proposal="Fix it.", benefit="Joy.")  # fmt: skip
    target = make_idea(org.employee, title="Expense reports need three signatures",
                       problem="Every expense report goes through three managers.")  # fmt: skip
    twin = make_idea(org.other_employee, title="Three signatures for expense reports",
                     problem="Why do expense reports need so many signatures?")  # fmt: skip
    cousin = make_idea(org.other_employee, title="Fewer signatures on contracts")
    gone = make_idea(org.other_employee, title="Expense reports and signatures, withdrawn")
    transition(gone, "withdraw", org.other_employee)
    make_idea(org.other_employee, title="Parking garage lighting")
    db.session.commit()
    # Words only the idea itself uses must not crowd out the shared ones.
    loner = make_idea(org.other_employee, title="Quarterly zeppelin hangar xylophone",
                      problem="Only a comment shares a word: manager.")  # fmt: skip
    rules.add_comment(loner, org.head, "Ask the managers about expense reports.")
    db.session.commit()
    similar = search.similar_ideas(target)
    assert similar[0] == twin and target not in similar and gone not in similar
    # The cousin shares two words of its short text (its problem is the factory's "Three
    # signatures for a stapler."); one shared word is not enough (the threshold).
    assert cousin in similar and loner not in similar
    assert len(search.similar_ideas(target, limit=1)) == 1


def test_similar_ideas_appear_while_writing_and_a_vote_lands_on_that_idea(browser, org):
    twin = make_idea(org.other_employee, title="Laptop replacement takes three months")
    make_idea(org.other_employee, title="Canteen menu in English")
    browser.login(org.employee)
    form = browser.get("/ideas/new").get_data(as_text=True)
    assert 'hx-get="/ideas/similar"' in form and 'hx-trigger="input changed delay:500ms' in form
    assert 'id="similar-ideas"' in form
    assert not re.search(r"<script(?![^>]*\bsrc=)", form)  # no inline script (CSP)
    fragment = browser.get(
        "/ideas/similar", query_string={"title": "My laptop broke", "problem": "replacement?"},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)  # fmt: skip
    assert "Laptop replacement takes three months" in fragment and "Canteen" not in fragment
    assert "<html" not in fragment and "0 votes" in fragment
    action = f'action="/ideas/{twin.id}/vote"'
    assert action in fragment and "Vote for this instead" in fragment
    response = browser.post(f"/ideas/{twin.id}/vote", {"vote": "add", "next": f"/ideas/{twin.id}"})
    assert response.status_code == 302 and response.location == f"/ideas/{twin.id}"
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 1
    again = browser.get("/ideas/similar", query_string={"title": "laptop"}).get_data(as_text=True)
    assert "You support this idea already." in again and action not in again
    empty = browser.get("/ideas/similar").get_data(as_text=True)
    assert "similar ideas appear here" in empty


def test_duplicate_hints_are_shown_to_those_who_may_triage(browser, new_browser, org):
    idea = make_idea(org.employee, title="Visitor badges printed by security",
                     department=org.service)  # fmt: skip
    make_idea(org.other_employee, title="Security prints visitor badges too slowly")
    for person, sees in [(org.head, True), (org.leader, True), (org.other_head, False),
                         (org.employee, False), (org.admin, False)]:  # fmt: skip
        viewer = new_browser()
        viewer.login(person)
        page = viewer.get(f"/ideas/{idea.id}").get_data(as_text=True)
        assert ("Possible duplicates" in page) is sees, person.display_name
        assert ("Security prints visitor badges too slowly" in page) is sees


def test_a_new_search_keeps_the_filters_and_starts_with_the_best_matches(browser, org):
    browser.login(org.employee)
    page = browser.get(f"/ideas?sort=new&department={org.service.id}").get_data(as_text=True)
    search_form = page[
        page.index('role="search"') : page.index("</form>", page.index('role="search"'))
    ]
    assert f'name="department" value="{org.service.id}"' in search_form
    assert 'name="sort"' not in search_form
    # The filter form keeps the search words.
    searched = browser.get("/ideas?q=stapler&sort=top").get_data(as_text=True)
    assert '<input type="hidden" name="q" value="stapler">' in searched


def test_other_orders_list_the_same_ideas_whichever_way_matches_are_read(org, monkeypatch):
    for n in range(6):
        idea = make_idea(org.employee, title=f"Invoice rule {n}", department=org.service)
        for voter in [org.head, org.leader, org.admin][: n % 4]:
            rules.set_vote(idea, voter, True)
    make_idea(org.other_employee, title="Invoice rule in sales", department=org.sales)
    make_idea(org.employee, title="Unrelated")
    db.session.commit()
    results = []
    for dense in (0, 10_000):  # many matches: walk the vote order; few: read and sort them
        monkeypatch.setattr(search.limits, "DENSE_MATCHES", dense)
        results.append(
            [found(org.employee, "invoice", sort=sort) for sort in ("top", "new", "discussed")]
            + [found(org.employee, "invoice", sort="top", department_id=org.service.id)]
        )
    assert results[0] == results[1]
    assert results[0][0][:2] == ["Invoice rule 3", "Invoice rule 2"]
    assert len(results[0][3]) == 6


def test_the_index_listens_to_the_apps_session_only(app):
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from suggestions.ideas.search import index

    assert event.contains(db.session, "after_flush", index._keep_index_in_step)
    # Not every Session in the process: a script's or another library's own session.
    assert not event.contains(Session, "after_flush", index._keep_index_in_step)
