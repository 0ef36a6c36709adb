"""The CSV import of people: the rules (plan, apply) and the admin pages around them."""

from __future__ import annotations

import io
import re
import time

import pytest
from sqlalchemy import func, select

from suggestions.auth import tokens
from suggestions.auth.models import Role, User
from suggestions.core.extensions import db
from suggestions.people import importer
from suggestions.people.importer import ImportRefused

from ..factories import make_department, make_user

HEADER = "email;name;department;role;language\n"


def csv_of(*lines: str, header: str = HEADER) -> str:
    return header + "\n".join(lines) + "\n"


def person(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def test_a_preview_writes_nothing_and_says_what_would_change(org):
    text = csv_of("new.person@example.org;New Person;Sales;employee;de",
                  f"{org.employee.email};Erika Renamed;Customer Service;employee;en")  # fmt: skip
    plan = importer.plan_import(org.admin, text)
    assert plan.ok and plan.counts() == {"created": 1, "updated": 1, "unchanged": 0,
                                          "deactivated": 0}  # fmt: skip
    assert plan.updated[0]["fields"] == ("display_name",)
    db.session.rollback()
    assert person("new.person@example.org") is None


def test_applying_twice_changes_nothing_the_second_time(org):
    text = csv_of("new.person@example.org;New Person;Sales;head;de",
                  f"{org.employee.email};Erika Employee;Sales;employee;en")  # fmt: skip
    first = importer.apply_import(org.admin, text)
    db.session.commit()
    assert first.counts() == {"created": 1, "updated": 1, "unchanged": 0, "deactivated": 0}
    created = person("new.person@example.org")
    assert created.display_name == "New Person" and created.department == org.sales
    assert created.role == Role.HEAD and created.headed_departments == [org.sales]
    assert created.language == "de" and created.password_hash is None and created.active
    second = importer.apply_import(org.admin, text)
    assert second.counts() == {"created": 0, "updated": 0, "unchanged": 2, "deactivated": 0}


def test_every_bad_line_gets_its_own_error(org):
    text = csv_of(
        "good@example.org;Good;Sales;;",
        "not-an-address;Bad Mail;Sales;;",
        "nodept@example.org;No Dept;Marketing;;",
        "GOOD@example.org;Twice;Sales;;",
        "role@example.org;Bad Role;;boss;",
        "lang@example.org;Bad Language;;;fr",
        "noname@example.org;;;;",
        "erased-3@erased.invalid;Tomb;;;",
        "long@example.org;Too;Many;fields;en;x",
    )
    plan = importer.plan_import(org.admin, text)
    messages = {error.line: error.message for error in plan.errors}
    assert sorted(messages) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "not an email address" in messages[3]
    assert "There is no department “Marketing”" in messages[4]
    assert "same address as line 2" in messages[5]
    assert "Unknown role" in messages[6]
    assert "Unknown language" in messages[7]
    assert "name is missing" in messages[8]
    assert "not an email address" in messages[9]
    assert "more fields" in messages[10]
    with pytest.raises(ImportRefused):
        importer.apply_import(org.admin, text)
    assert person("good@example.org") is None  # all or nothing


def test_commas_a_bom_and_german_headers_are_understood(org):
    text = (
        '\ufeffE-Mail,Name,Abteilung,Rolle,Sprache\r\nkomma@example.org,"Komma, Karl",sales,,\r\n'
    )
    plan = importer.plan_import(org.admin, text)
    assert plan.ok and plan.created[0]["display_name"] == "Komma, Karl"
    assert plan.created[0]["department_id"] == org.sales.id


@pytest.mark.parametrize(
    "data, encoding, message",
    [
        ("email;name\nä@example.org;Jörg\n".encode("cp1252"), "utf-8", "Windows-1252"),
        (b"\x81\x8d\x90\x9d\xff\xfe", "utf-8", "not in UTF-8"),
        (b"email;name\x00", "utf-8", "not a CSV"),
        (b"", "utf-8", "empty"),
        (b"mail;fullname\n", "utf-8", "Unknown column"),
        (b"department;role\n", "utf-8", "missing: email, name"),
    ],
)
def test_files_that_cannot_be_read_are_refused_clearly(org, data, encoding, message):
    with pytest.raises(ImportRefused) as refused:
        importer.plan_import(org.admin, importer.decode(data, encoding))
    assert message in str(refused.value.message)


def test_windows_1252_is_read_when_chosen(org):
    text = importer.decode("email;name\njoerg@example.org;Jörg Müller\n".encode("cp1252"), "cp1252")
    assert importer.plan_import(org.admin, text).created[0]["display_name"] == "Jörg Müller"


def test_missing_people_are_deactivated_but_never_the_admin_or_break_glass(org):
    glass = make_user(Role.ADMIN, name="Glass Admin")
    glass.break_glass = True
    token, _secret = tokens.create_token(org.other_employee, name="Bot", scope="read",
                                         expires_in_days=9)  # fmt: skip
    db.session.commit()
    text = csv_of(f"{org.employee.email};Erika Employee;Customer Service;employee;en")
    plan = importer.plan_import(org.admin, text, deactivate_missing=True)
    assert {c.email for c in plan.kept} == {org.admin.email, glass.email}
    assert org.other_employee.email in {c.email for c in plan.deactivated}
    version = org.other_employee.session_version
    importer.apply_import(org.admin, text, deactivate_missing=True)
    db.session.commit()
    assert not org.other_employee.active and org.other_employee.session_version == version + 1
    assert db.session.get(tokens.ApiToken, token.id).revoked_at is not None
    assert org.admin.active and glass.active and org.employee.active
    again = importer.apply_import(org.admin, text, deactivate_missing=True)
    assert again.counts()["deactivated"] == 0


def test_the_acting_admin_cannot_demote_themselves(org):
    plan = importer.plan_import(org.admin, csv_of(f"{org.admin.email};Adam Admin;;employee;"))
    assert "your own admin role" in plan.errors[0].message


def test_a_role_change_ends_sessions_and_moves_head_rights(org):
    version = org.head.session_version
    text = csv_of(f"{org.head.email};Hanna Head;Customer Service;employee;en",
                  f"{org.employee.email};Erika Employee;Customer Service;head;en")  # fmt: skip
    importer.apply_import(org.admin, text)
    db.session.commit()
    assert org.head.role == Role.EMPLOYEE and org.head.headed_departments == []
    assert org.head.session_version == version + 1
    assert org.employee.headed_departments == [org.service]


def test_ten_thousand_people_in_a_few_seconds(org, capsys):
    for n in range(20):
        make_department(f"Unit {n}")
    db.session.commit()
    lines = [f"p{n}@corp.example.org;Person {n};Unit {n % 20};employee;de" for n in range(10_000)]
    text = csv_of(*lines)
    started = time.perf_counter()
    importer.apply_import(org.admin, text)
    db.session.commit()
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = importer.apply_import(org.admin, text)
    second = time.perf_counter() - started
    assert again.counts()["unchanged"] == 10_000
    assert db.session.scalar(select(func.count()).select_from(User)) == 10_006
    with capsys.disabled():
        print(f"\n10,000 people: import {first:.2f} s, unchanged re-import {second:.2f} s")
    assert first < 15 and second < 15  # a loaded shared machine; about 1-2 s when idle


# -- the pages ---------------------------------------------------------------------------------


def upload(browser, text: str | bytes, **fields):
    data = text.encode("utf-8") if isinstance(text, str) else text
    browser.get("/admin/people/import")
    return browser.post("/admin/people/import", {
        "file": (io.BytesIO(data), "people.csv"), "encoding": "utf-8", **fields,
    }, content_type="multipart/form-data")  # fmt: skip


def token_of(response) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"',
                     response.get_data(as_text=True)).group(1)  # fmt: skip


def test_upload_preview_confirm(browser, org):
    browser.login(org.admin)
    response = upload(browser, csv_of("new.person@example.org;New <b>Person</b>;Sales;;"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 to create" in page
    assert "New &lt;b&gt;Person&lt;/b&gt;" in page
    assert person("new.person@example.org") is None
    confirmed = browser.post("/admin/people/import/confirm", {"token": token_of(response)})
    assert confirmed.status_code == 302
    assert person("new.person@example.org").display_name == "New <b>Person</b>"
    # The token is used up: a second confirmation imports nothing again.
    again = browser.post("/admin/people/import/confirm", {"token": token_of(response)})
    assert again.status_code == 302 and again.headers["Location"].endswith("/admin/people/import")


def test_errors_are_shown_per_line_and_cannot_be_confirmed(browser, org):
    browser.login(org.admin)
    response = upload(browser, csv_of("bad;Bad;;;", "ok@example.org;OK;Nowhere;;"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "2 lines have errors" in page
    assert "There is no department “Nowhere”" in page and 'name="token"' not in page


def test_the_confirmation_checks_the_file_again(browser, org):
    browser.login(org.admin)
    response = upload(browser, csv_of("late@example.org;Late;Sales;;"))
    db.session.delete(org.sales)  # meanwhile someone removes the department
    db.session.commit()
    confirmed = browser.post("/admin/people/import/confirm", {"token": token_of(response)})
    assert confirmed.status_code == 422 and "There is no department" in confirmed.get_data(True)
    assert person("late@example.org") is None


def test_another_admins_preview_cannot_be_confirmed(browser, new_browser, org):
    browser.login(org.admin)
    response = upload(browser, csv_of("x@example.org;X;;;"))
    other_admin = make_user(Role.ADMIN)
    other = new_browser()
    other.login(other_admin)
    assert (
        other.post("/admin/people/import/confirm", {"token": token_of(response)}).status_code == 302
    )
    assert person("x@example.org") is None


def test_a_wrong_encoding_is_refused_in_german_too(browser, org):
    org.admin.language = "de"
    browser.login(org.admin)
    response = upload(browser, "email;name\nj@example.org;Jörg\n".encode("cp1252"))
    assert response.status_code == 422
    assert "Windows-1252" in response.get_data(as_text=True)
    assert "Die Datei ist nicht in UTF-8" in response.get_data(as_text=True)


def test_a_50_mb_file_is_refused_by_its_size(browser, org):
    browser.login(org.admin)
    browser.get("/admin/people/import")
    big = b"email;name\n" + b"a" * (50 * 1024 * 1024)
    response = browser.post("/admin/people/import", {
        "file": (io.BytesIO(big), "big.csv"), "encoding": "utf-8",
    }, content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 413
    assert "larger than 10 MB" in response.get_data(as_text=True)


def test_the_sample_file_imports_as_it_is(browser, org):
    browser.login(org.admin)
    sample = browser.get("/admin/people/import/sample.csv")
    assert sample.mimetype == "text/csv" and sample.data.startswith(b"\xef\xbb\xbf")
    text = importer.decode(sample.data)
    plan = importer.plan_import(org.admin, text)
    assert plan.ok and len(plan.created) == 3


def test_the_command_line_previews_then_applies(app, org, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(csv_of("cli@example.org;Cli Person;Sales;;"), encoding="utf-8-sig")
    runner = app.test_cli_runner()
    preview = runner.invoke(args=["import-users", str(path)])
    assert preview.exit_code == 0 and "Preview: 1 created" in preview.output
    db.session.rollback()
    assert person("cli@example.org") is None
    applied = runner.invoke(args=["import-users", str(path), "--apply", "--as", org.admin.email])
    assert applied.exit_code == 0 and "Imported: 1 created" in applied.output
    assert person("cli@example.org") is not None
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_of("nope;Nope;;;"))
    failed = runner.invoke(args=["import-users", str(bad), "--apply"])
    assert failed.exit_code == 1 and "line 2" in failed.output
