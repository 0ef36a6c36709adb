"""The API does what the pages do: list, file, vote, comment, follow, triage, commitments."""

from __future__ import annotations

from datetime import timedelta

from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.ideas.models import Idea

from .. import factories


def _new_idea(org, api, headers=None, **extra):
    body = {
        "title": "Approve small expenses in the team",
        "problem": "A 50 franc expense needs a sign-off from headquarters.",
        "proposal": "Let the team lead approve up to 200 francs.",
        "benefit": "Customers get help the same day.",
        "category": org.red_tape.id,
        "owning_department": org.service.id,
        "affected_departments": [org.sales.id],
    } | extra
    return api.post("/ideas", json=body, headers=headers)


def test_a_script_files_lists_votes_and_comments(app, org, api_for):
    api = api_for(org.employee)
    created = _new_idea(org, api)
    assert created.status_code == 201, created.json
    idea_id = created.json["id"]
    assert created.headers["Location"].endswith(f"/api/v1/ideas/{idea_id}")
    assert created.json["timeline"][0]["kind"] == "submitted"
    assert {d["id"] for d in created.json["affected_departments"]} == {org.sales.id, org.service.id}

    listed = api.get("/ideas?sort=new")
    assert [i["id"] for i in listed.json["items"]] == [idea_id]

    other = api_for(org.other_employee)
    assert other.put(f"/ideas/{idea_id}/vote").json == {
        "idea_id": idea_id, "voted": True, "vote_count": 1,
    }  # fmt: skip
    assert other.put(f"/ideas/{idea_id}/vote").json["vote_count"] == 1  # idempotent
    assert other.get(f"/ideas/{idea_id}").json["voted"] is True
    comment = other.post(f"/ideas/{idea_id}/comments", json={"body": "Yes, please!"})
    assert comment.status_code == 201
    assert comment.json["author"]["name"] == "Otto Other"
    comments = api.get(f"/ideas/{idea_id}/comments").json
    assert [c["body"] for c in comments["items"]] == ["Yes, please!"]
    assert other.delete(f"/ideas/{idea_id}/vote").json["vote_count"] == 0


def test_invalid_input_is_a_422_with_the_forms_messages(app, org, api_for):
    api = api_for(org.employee)
    response = _new_idea(org, api, title="")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "title" in response.json["errors"]
    assert api.post("/ideas", data="not json", content_type="application/json").status_code == 422
    assert api.post("/ideas", json=[1, 2]).status_code == 422
    empty = factories.make_idea(org.employee)
    assert api.post(f"/ideas/{empty.id}/comments", json={"body": " "}).status_code == 422


def test_messages_follow_the_persons_language(app, org, api_for):
    org.employee.language = None
    db.session.commit()
    api = api_for(org.employee)
    response = _new_idea(org, api, title="", headers={"Accept-Language": "de"})
    assert response.status_code == 422
    assert response.json["title"] == "Bitte prüfen Sie, was Sie gesendet haben"
    assert response.json["detail"] == response.json["errors"]["title"][0]


def test_edit_only_while_new_and_only_by_the_author(app, org, api_for):
    api = api_for(org.employee)
    idea_id = _new_idea(org, api).json["id"]
    assert (
        api_for(org.other_employee).patch(f"/ideas/{idea_id}", json={"title": "Mine"}).status_code
        == 403
    )
    edited = api.patch(f"/ideas/{idea_id}", json={"title": "Sign-offs for small expenses"})
    assert edited.status_code == 200, edited.json
    assert edited.json["title"] == "Sign-offs for small expenses" and edited.json["version"] == 2
    assert edited.json["problem"].startswith("A 50 franc")  # unchanged fields stay
    head = api_for(org.head)
    assert head.post(f"/ideas/{idea_id}/actions/acknowledge", json={}).status_code == 200
    assert api.patch(f"/ideas/{idea_id}", json={"title": "Later"}).status_code == 403


def test_a_heads_token_takes_an_idea_through_triage(app, org, api_for):
    idea = factories.make_idea(org.employee, department=org.service)
    head = api_for(org.head)
    url = f"/ideas/{idea.id}/actions"
    # 403: another department's head; 409: not in this state; 422: a reason is missing.
    assert api_for(org.other_head).post(f"{url}/acknowledge", json={}).status_code == 403
    assert head.post(f"{url}/start", json={}).status_code == 409
    assert head.post(f"{url}/ask_info", json={}).status_code == 422
    assert head.post(f"{url}/acknowledge", json={"note": "We look at it"}).json["status"] == (
        "in_review"
    )
    assert head.post(f"{url}/estimate_cost", json={"amount": "300"}).status_code == 200
    due = (now() + timedelta(days=30)).date().isoformat()
    accepted = head.post(
        f"{url}/accept",
        json={"owner": org.head.id, "promise": "Team leads approve up to 200.", "due_on": due},
    )
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["status"] == "accepted"
    commitments = head.get("/commitments").json["items"]
    assert [c["idea_id"] for c in commitments] == [idea.id]
    commitment_id = commitments[0]["id"]
    update = head.post(f"/commitments/{commitment_id}/updates", json={"body": "Form drafted."})
    assert update.status_code == 201
    assert update.json["updates"][0]["body"] == "Form drafted."
    assert (
        api_for(org.employee)
        .post(f"/commitments/{commitment_id}/updates", json={"body": "me too"})
        .status_code
        == 403
    )
    assert head.post(f"{url}/start", json={}).json["status"] == "in_progress"
    assert [e["kind"] for e in head.get(f"/ideas/{idea.id}").json["timeline"]][-1] == (
        "status_changed"
    )


def test_withdraw_follow_and_notifications(app, org, api_for):
    api = api_for(org.employee)
    idea_id = _new_idea(org, api).json["id"]
    other = api_for(org.other_employee)
    assert other.put(f"/ideas/{idea_id}/follow").json["following"] is True
    assert other.post(f"/ideas/{idea_id}/withdraw", json={}).status_code == 403
    assert api.post(f"/ideas/{idea_id}/withdraw").json["status"] == "withdrawn"
    assert api.post(f"/ideas/{idea_id}/withdraw").status_code == 409
    assert other.put(f"/ideas/{idea_id}/vote").status_code == 403  # closed for votes
    items = other.get("/notifications").json["items"]
    assert any(n["idea_id"] == idea_id for n in items)
    assert other.delete(f"/ideas/{idea_id}/follow").json["following"] is False


def test_me_departments_and_categories(app, org, api_for):
    head = api_for(org.head)
    me = head.get("/me").json
    assert me["role"] == "head" and me["headed_departments"][0]["id"] == org.service.id
    assert me["token"]["scope"] == "write" and "secret" not in me["token"]
    names = [d["name"] for d in head.get("/departments").json["items"]]
    assert names == sorted(names) and "Sales" in names
    assert [c["id"] for c in head.get("/categories").json["items"]] == [org.red_tape.id]


def test_unknown_paths_and_ideas_are_problems(app, org, api_for):
    api = api_for(org.employee)
    for url in ("/ideas/999", "/nothing-here"):
        response = api.get(url)
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert api.open("DELETE", "/me").status_code == 405
    assert db.session.query(Idea).count() == 0


def test_polling_with_an_etag_answers_304_until_something_changes(app, org, api_for):
    idea = factories.make_idea(org.employee)
    api = api_for(org.other_employee)
    urls = (f"/ideas/{idea.id}", "/ideas")
    etags = {url: api.get(url).headers["ETag"] for url in urls}
    for url in urls:
        assert api.get(url, headers={"If-None-Match": etags[url]}).status_code == 304
    api.put(f"/ideas/{idea.id}/vote")
    for url in urls:
        assert api.get(url, headers={"If-None-Match": etags[url]}).status_code == 200


def test_each_token_has_its_own_rate_limit_with_headers(app, org, api_for):
    app.config["RATELIMIT_API_PER_TOKEN"] = "3 per minute"
    api, other = api_for(org.employee), api_for(org.employee)
    answers = [api.get("/me") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0].headers["RateLimit-Limit"] == "3"
    assert answers[1].headers["RateLimit-Remaining"] == "1"
    assert answers[3].mimetype == "application/problem+json"
    assert int(answers[3].headers["Retry-After"]) >= 0
    assert other.get("/me").status_code == 200  # another token counts apart


def test_a_nul_character_is_refused_as_a_detail_not_a_crash(app, org, api_for):
    response = _new_idea(org, api_for(org.employee), title="Nul\x00byte")
    assert response.status_code == 422 and "title" in response.json["errors"]
