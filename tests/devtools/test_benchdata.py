"""The benchmark data set: ``flask seed-bench``."""

from sqlalchemy import func, inspect, select

from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.devtools import benchdata
from suggestions.ideas.models import Comment, Idea, Vote, idea_affected_departments

ARGS = ["seed-bench", "--ideas", "60", "--votes", "500", "--comments", "300", "--users", "40",
        "--departments", "5"]  # fmt: skip


def test_seed_bench_fills_an_empty_database_with_exact_counters(app):
    result = app.test_cli_runner().invoke(args=ARGS)
    assert result.exit_code == 0, result.output
    assert "Done in" in result.output
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 60
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 500
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 300
    assert db.session.scalar(select(func.count()).select_from(User)) == 40
    for idea in db.session.scalars(select(Idea)):
        votes = db.session.scalar(select(func.count()).where(Vote.idea_id == idea.id))
        comments = db.session.scalar(select(func.count()).where(Comment.idea_id == idea.id))
        assert (idea.vote_count, idea.comment_count) == (votes, comments)
        affected = set(
            db.session.scalars(
                select(idea_affected_departments.c.department_id).where(
                    idea_affected_departments.c.idea_id == idea.id
                )
            )
        )
        assert idea.owning_department_id in affected
    # one idea has a full page of comments; texts in both languages
    assert db.session.scalar(select(func.max(Idea.comment_count))) >= 50
    titles = " ".join(db.session.scalars(select(Idea.title)))
    assert any(word in titles for word in ("Formular", "Freigabe", "Antrag", "Urlaubsanträge"))
    assert any(word in titles for word in ("form", "approved", "requests", "reports"))
    heads = db.session.scalars(select(User).where(User.role == Role.HEAD)).all()
    assert len(heads) == 5 and all(len(h.headed_departments) == 1 for h in heads)
    # The indexes set aside for the load are all back.
    db.session.commit()  # outside a request the session holds the SQLite write lock
    inspector = inspect(db.engine)
    for table in benchdata.BULK_TABLES:
        expected = {index.name for index in table.indexes}
        assert expected <= {index["name"] for index in inspector.get_indexes(table.name)}
    assert "ix_ideas_top" in {index["name"] for index in inspector.get_indexes("ideas")}


def test_seed_bench_refuses_a_database_with_data_unless_forced(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=ARGS).exit_code == 0
    refused = runner.invoke(args=ARGS)
    assert refused.exit_code != 0 and "not empty" in refused.output
    forced = runner.invoke(args=[*ARGS[:2], "30", *ARGS[3:], "--force"])
    assert forced.exit_code == 0, forced.output
    assert db.session.scalar(select(func.count()).select_from(Idea)) == 30


def test_the_bench_employee_can_sign_in_and_new_rows_get_fresh_ids(app, browser):
    app.test_cli_runner().invoke(args=ARGS)
    browser.login(User(email=benchdata.EMPLOYEE_EMAIL), password=benchdata.PASSWORD)
    # After rows with explicit ids (PostgreSQL: sequences moved past them) a new idea still
    # gets an id of its own.
    response = browser.post("/ideas/new", {
        "title": "After the bench", "problem": "p", "proposal": "q", "benefit": "b",
        "category": "1", "owning_department": "1",
    })  # fmt: skip
    assert response.status_code == 302
    assert response.location.endswith("/ideas/61")
    # The search index was built after the bulk load: the seeded words are found.
    found = browser.get("/ideas?q=Formular").get_data(as_text=True)
    assert found.count('class="card idea-card"') >= 1
    # Authors hear about answers and comments on their ideas.
    assert "notification" in browser.get("/notifications").get_data(as_text=True).lower()


def test_impossible_plans_are_refused(app):
    result = app.test_cli_runner().invoke(
        args=["seed-bench", "--ideas", "2", "--users", "10", "--votes", "100"]
    )
    assert result.exit_code != 0 and "Too many votes" in result.output


def test_seeded_ideas_carry_their_decisions_and_promises(app):
    from suggestions.workflow.models import Commitment

    assert app.test_cli_runner().invoke(args=ARGS).exit_code == 0
    promised = {"accepted", "in_progress", "implemented"}
    commitments = {c.idea_id: c for c in db.session.scalars(select(Commitment))}
    assert commitments
    for idea in db.session.scalars(select(Idea)):
        assert (idea.first_response_at is None) == (
            idea.status == "new" or idea.status == "withdrawn"
        )
        assert (idea.id in commitments) == (idea.status in promised)
        if idea.status == "implemented":
            assert idea.implemented_at and commitments[idea.id].state in ("kept", "kept_late")
        if idea.status in promised | {"declined"}:
            assert idea.decided_at is not None


def test_a_search_only_data_set_holds_what_search_reads_and_nothing_else(app):
    from suggestions.notify.models import Notification
    from suggestions.workflow.models import Commitment

    args = ["seed-bench", "--ideas", "40", "--users", "30", "--departments", "3", "--search-only"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert (count(Idea), count(Comment)) == (40, 120)  # 3 comments per idea, as in a full set
    assert count(Vote) == count(Commitment) == count(Notification) == 0
    assert all(idea.vote_count == 0 for idea in db.session.scalars(select(Idea)))
    # The search index is built: the seeded words are found.
    from suggestions.ideas import search

    assert search.count_matches(search.parse_query("Formular", "en"), cap=100) >= 1
