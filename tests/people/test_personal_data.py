"""A person downloads their own data (GDPR art. 15 and 20)."""

from __future__ import annotations

import io
import json
import logging
import zipfile

import pytest

from suggestions.auth import tokens
from suggestions.core.extensions import db
from suggestions.ideas import rules
from suggestions.notify import rules as notify_rules

from ..factories import make_idea


@pytest.fixture
def config_overrides():
    return {"PERSONAL_DATA_EXPORT_LIMIT": "2 per hour"}


def files_of(response) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def test_a_person_downloads_all_their_data(browser, org, caplog):
    mine = make_idea(org.employee, department=org.service, category=org.red_tape, title="Mine")
    secret_one = make_idea(org.employee, department=org.service, category=org.red_tape,
                           title="My anonymous idea", anonymous=True)  # fmt: skip
    others = make_idea(org.other_employee, department=org.sales, category=org.red_tape)
    rules.add_comment(others, org.employee, "My comment on Otto's idea")
    rules.set_vote(others, org.employee, True)
    notify_rules.follow(others.id, org.employee.id)
    rules.add_comment(mine, org.other_employee, "Otto comments on mine")  # a notification
    _token, secret = tokens.create_token(org.employee, name="My bot", scope="read",
                                         expires_in_days=5)  # fmt: skip
    db.session.commit()
    browser.login(org.employee)
    page = browser.get("/account").get_data(as_text=True)
    assert "Download my data" in page
    with caplog.at_level(logging.INFO):
        response = browser.post("/account/personal-data")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    files = files_of(response)
    assert {"profile.json", "ideas.json", "comments.json", "votes.json", "follows.json",
            "notifications.json", "settings.json", "tokens.json"} <= set(files)  # fmt: skip
    assert json.loads(files["profile.json"])["email"] == org.employee.email
    ideas = {i["title"]: i for i in json.loads(files["ideas.json"])}
    assert (
        set(ideas) == {"Mine", "My anonymous idea"} and ideas["My anonymous idea"]["is_anonymous"]
    )
    assert secret_one.id in {i["id"] for i in ideas.values()}
    assert [c["body"] for c in json.loads(files["comments.json"])] == ["My comment on Otto's idea"]
    assert [v["idea_id"] for v in json.loads(files["votes.json"])] == [others.id]
    assert others.id in {f["idea_id"] for f in json.loads(files["follows.json"])}
    assert json.loads(files["notifications.json"])
    assert [t["name"] for t in json.loads(files["tokens.json"])] == ["My bot"]
    everything = "".join(files.values())
    assert secret not in everything and secret[:8] not in everything
    assert "Otto Other" not in everything and org.other_employee.email not in everything
    assert f"personal data exported by user {org.employee.id}" in caplog.text


def test_nobody_else_sees_an_anonymous_authors_export(browser, org):
    make_idea(org.employee, category=org.red_tape, title="Secret", anonymous=True)
    browser.login(org.admin)
    files = files_of(browser.post("/account/personal-data"))
    assert "Secret" not in "".join(files.values())


def test_the_download_is_rate_limited(browser, org):
    browser.login(org.employee)
    assert browser.post("/account/personal-data").status_code == 200
    assert browser.post("/account/personal-data").status_code == 200
    assert browser.post("/account/personal-data").status_code == 429


def test_the_download_needs_the_form_token(browser, org):
    browser.login(org.employee)
    assert browser.post("/account/personal-data", csrf=False).status_code == 400
