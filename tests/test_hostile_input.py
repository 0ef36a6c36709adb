"""Hostile input over every route: generated query parameters, path segments and form fields
(control characters, CR/LF, huge and negative integers, NaN and infinities, far dates, long
and unusual text), sent as every role. No answer may be a server error, and a refused form
changes nothing.

The routes come from the permission matrix, which ``test_every_route_is_in_the_matrix``
keeps equal to the app's url_map; the query parameters are the names the code reads from
``request.args``. One app and one set of data serve the whole module, and hypothesis runs
derandomised with few examples, so the module takes seconds and fails the same way each time.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from suggestions.auth import tokens
from suggestions.core.clock import now
from suggestions.core.extensions import db
from suggestions.governance import moderation
from suggestions.ideas import rules
from suggestions.ideas.models import Idea
from suggestions.notify.models import Notification, OutboxMessage, Webhook
from suggestions.workflow import campaigns, lifecycle
from suggestions.workflow.declines import DeclineReason

from . import factories
from .conftest import Browser, _empty_tables, every_row, make_app
from .test_permissions import MATRIX, PDF_STATUS, _ledger_setup, _people_upload

# One worker runs the whole module in a row (make test: --dist loadgroup): its data, kept for
# the module, must not meet another module's test, which expects an empty database.
pytestmark = pytest.mark.xdist_group("hostile_input")

SOURCE = Path(__file__).resolve().parent.parent / "suggestions"
# Every query parameter the code reads, and the dashboard filter's fields (a GET form).
QUERY_NAMES = sorted(
    {
        name
        for path in SOURCE.rglob("*.py")
        for name in re.findall(r"\bargs\.get\(\s*\"(\w+)\"", path.read_text(encoding="utf-8"))
    }
    | {"range", "start", "end", "department", "next"}
)

HUGE = [str(2**31), str(2**63 - 1), str(2**63), str(2**64), str(-(2**63) - 1), "9" * 30]
NASTY = [
    *HUGE,
    "-1", "0", "1.5", "nan", "NaN", "sNaN", "-sNaN", "Infinity", "-Infinity", "1e400", "1e30",
    "9999-12-31", "0001-01-01", "10000-01-01", "2026-02-30",
    "\x00", "a\x01b", "\x07ring", "\x1b[31mred", "a\r\nb", "/ideas\r\nSet-Cookie: x=1",
    "/\t/evil.example", "//evil.example", "https://evil.example", "\\\\evil.example",
    "x" * 3000, "Ärger mit Überstunden ß €", "😀" * 50, "\u202eevil", "\ufeff", " ",
    "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00", "1.2.3", "..",
]  # fmt: skip
hostile = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(repr),
    st.dates().map(str),
)
# The values that reached a 500 before (issue 14): each is sent to every route.
KNOWN = [
    "\x00",
    "a\r\nb",
    str(2**31),
    str(2**63),
    str(2**64),
    "sNaN",
    "1e400",
    "9999-12-31",
    "\x01",
]
CALENDAR_ENDS = [
    {"range": "custom", "start": "2026-01-01", "end": "9999-12-31"},
    {"range": "custom", "start": "0001-01-01", "end": "0001-01-10"},
    {"range": "custom", "start": "9999-12-30", "end": "9999-12-31"},
]

ROLES = ["anonymous", "author", "employee", "head", "other_head", "leader", "admin"]
FEW = settings(
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class World:
    """The module's app, its data, and a signed-in browser per role."""

    def __init__(self, app):
        self.app = app
        org = factories.make_org()
        self.org = org
        idea = factories.make_idea(org.employee, department=org.service, category=org.red_tape)
        comment = rules.add_comment(idea, org.other_employee, "A colleague's comment")
        other = factories.make_idea(org.other_employee, department=org.service)
        needs_info = factories.make_idea(org.employee, department=org.service)
        lifecycle.transition(needs_info, "ask_info", org.head, "How often does it happen?")
        declined = factories.make_idea(org.employee, department=org.service)
        lifecycle.transition(declined, "decline", org.head, "Not now.")
        accepted = factories.make_idea(org.employee, department=org.service)
        commitment = lifecycle.accept(
            accepted, org.leader, owner=org.head, promise="We fix it.",
            due_on=now().date().replace(year=now().year + 1),
        )  # fmt: skip
        # A row saved before input refused control characters: it must still export.
        bad = factories.make_idea(org.employee, department=org.service)
        bad.title = "Stapler \x01\x07\x1b\x0b forms"
        spare = factories.make_user(factories.Role.EMPLOYEE, org.sales, name="Spare Person")
        hook = Webhook(name="Teams", url="https://hooks.example.com/x", secret="s" * 32,
                       events="idea.submitted", active=True)  # fmt: skip
        failed = OutboxMessage(
            channel="email", status="failed", kind="comment",
            recipient="someone@example.org", subject="s", body_text="b",
        )  # fmt: skip
        db.session.add_all([hook, failed])
        ledger_item, implemented, measurement = _ledger_setup(org)
        people_upload = _people_upload(org)
        token, _secret = tokens.create_token(
            org.employee, name="Bot", scope="read", expires_in_days=9
        )
        reason = DeclineReason(name_en="Hostile reason", name_de="Feindlicher Grund", position=1)
        db.session.add(reason)
        campaign = campaigns.create_campaign(
            org.leader, question="Which form could go?", deadline=now().date()
        )
        # Moderation: a comment already hidden, another one reported.
        hidden_comment = rules.add_comment(idea, org.other_employee, "A name to hide")
        moderation.hide(org.admin, idea, hidden_comment, "personal_data")
        reported = rules.add_comment(idea, org.other_employee, "Reported by a colleague")
        moderation.report(org.head, idea, reported, "offensive", "")
        db.session.commit()
        notification = db.session.scalars(
            select(Notification).where(Notification.user_id == org.employee.id)
        ).first()
        self.ctx = {
            "idea": idea.id, "comment": comment.id, "user": spare.id,
            "department": str(org.service.id), "category": str(org.red_tape.id),
            "other_idea": str(other.id), "needs_info": needs_info.id, "declined": declined.id,
            "accepted": accepted.id, "commitment": commitment.id, "head": str(org.head.id),
            "other_department": str(org.sales.id), "today": now().date().isoformat(),
            "notification": notification.id, "webhook": hook.id, "message": failed.id,
        "token": token.id, "reason": reason.id, "campaign": campaign.id, "item": ledger_item.id,
        "implemented": implemented.id, "measurement": measurement.id,
        "people_upload": people_upload.token,
        "hidden_comment": hidden_comment.id, "reported": reported.id,
        }  # fmt: skip
        people = {
            "author": org.employee, "employee": org.other_employee, "head": org.head,
            "other_head": org.other_head, "leader": org.leader, "admin": org.admin,
        }  # fmt: skip
        self.browsers = {"anonymous": Browser(app)}
        self.browsers["anonymous"].get("/login")
        for role, person in people.items():
            self.browsers[role] = Browser(app)
            self.browsers[role].login(person)

    def fingerprint(self) -> list:
        """Every row of every table: what "nothing changed" means."""
        return every_row()


@pytest.fixture(scope="module")
def world(database_url):
    # Rate limits stay on (a 429 is an answer too); disabling them here would disable them
    # for every later app of this process (Flask-Limiter keeps the flag).
    app = make_app(database_url)
    with app.app_context():
        try:
            yield World(app)
        finally:
            db.session.remove()
            _empty_tables()
            db.engine.dispose()


def _capable_role(expected: dict, success: int) -> str:
    """A role that gets the page (or whose post succeeds), so the input reaches the form."""
    return next((r for r in [*ROLES[1:], "anonymous"] if expected[r] == success), "admin")


GET_ROUTES = []
for _m, _rule, _url, _d, _exp in MATRIX:
    if _m != "GET" or _rule.startswith("/static"):
        continue
    GET_ROUTES.append(pytest.param(_url, _exp, id=_url))
    if _url.endswith(".csv"):
        GET_ROUTES.append(pytest.param(_url[:-4] + ".xlsx", _exp, id=_url[:-4] + ".xlsx"))
POST_ROUTES = [
    pytest.param(url, data, exp, id=url)
    for m, _rule, url, data, exp in MATRIX
    if m == "POST" and url not in {"/logout"}
]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _path(url: str, ctx: dict, replace: dict | None = None) -> str:
    values = {k: ctx[k] for k in PLACEHOLDER.findall(url)} | (replace or {})
    return url.format(**{k: quote(str(v), safe="") for k, v in values.items()})


def _get(world, role: str, url: str):
    response = world.browsers[role].get(url)
    body = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
    return response, body


def _no_server_error(response, body, what):
    # Without WeasyPrint's libraries a PDF is a clear 503 page (CI installs them: REQUIRE_PDF).
    pdf_missing = PDF_STATUS == 503 and response.status_code == 503 and ".pdf" in what
    assert response.status_code < 500 or pdf_missing, f"{what}: {response.status_code} {body[:300]}"
    assert "Traceback" not in body, what


@pytest.mark.parametrize("url, expected", GET_ROUTES)
def test_known_payloads_reach_no_server_error_on_any_page(world, url, expected):
    """Each value that once gave a 500, in every query parameter at once and in every path
    segment (an id beyond the database's integers is not found)."""
    role = _capable_role(expected, 200)
    base = _path(url, world.ctx)
    for value in KNOWN:
        target = f"{base}?{urlencode(dict.fromkeys(QUERY_NAMES, value))}"
        _no_server_error(*_get(world, role, target), target)
    for args in CALENDAR_ENDS:
        target = f"{base}?{urlencode(args)}"
        _no_server_error(*_get(world, role, target), target)
    for name in PLACEHOLDER.findall(url):
        for value in HUGE:
            target = _path(url, world.ctx, {name: value})
            response, body = _get(world, role, target)
            assert response.status_code == 404, f"{target}: {response.status_code}"


@pytest.mark.parametrize("url, expected", GET_ROUTES)
@FEW
@given(data=st.data())
def test_generated_query_parameters_reach_no_server_error(world, url, expected, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    names = data.draw(st.lists(st.sampled_from(QUERY_NAMES), max_size=6, unique=True))
    args = {name: data.draw(hostile, label=name) for name in names}
    if data.draw(st.booleans(), label="custom range"):
        args |= {"range": "custom", "start": data.draw(st.dates()).isoformat(),
                 "end": data.draw(st.dates()).isoformat()}  # fmt: skip
    path = {k: data.draw(st.one_of(st.just(world.ctx[k]), hostile), label=k)
            for k in PLACEHOLDER.findall(url)}  # fmt: skip
    target = f"{_path(url, world.ctx, path)}?{urlencode(args)}"
    _no_server_error(*_get(world, role, target), f"{role} {target}")


def _post(world, role, url, form):
    response = world.browsers[role].post(url, form)
    return response, response.get_data(as_text=True)


def _with_value(form: dict, field: str, value: str) -> dict:
    changed = dict(form)
    changed[field] = [value] if isinstance(form.get(field), list) else value
    return changed


@pytest.mark.parametrize("url, make_form, expected", POST_ROUTES)
def test_known_payloads_in_every_form_field_change_nothing(world, url, make_form, expected):
    """Each value that once gave a 500, in each field of each form (and ``next``): no server
    error, and when the form is refused (not redirected), no row changed."""
    role = "anonymous" if url == "/login" else _capable_role(expected, 302)
    form = make_form(world.ctx)
    target = _path(url, world.ctx)
    before = world.fingerprint()
    for field in [*form, "next"]:
        for value in KNOWN:
            response, body = _post(world, role, target, _with_value(form, field, value))
            _no_server_error(response, body, f"{target} {field}={value!r}")
            if response.status_code != 302 and url != "/login":
                assert world.fingerprint() == before, f"{target} {field}={value!r}"
            else:  # a success may change rows: the next post is compared with them
                before = world.fingerprint()


@pytest.mark.parametrize("url, make_form, expected", POST_ROUTES)
@FEW
@given(data=st.data())
def test_generated_form_fields_reach_no_server_error(world, url, make_form, expected, data):
    draw = data.draw
    role = "anonymous" if url == "/login" else _capable_role(expected, 302)
    form = make_form(world.ctx)
    fields = draw(st.lists(st.sampled_from([*form, "next"]), min_size=1, max_size=3))
    for field in fields:
        form = _with_value(form, field, draw(hostile, label=field))
    path = {k: draw(st.one_of(st.just(world.ctx[k]), hostile), label=k)
            for k in PLACEHOLDER.findall(url)}  # fmt: skip
    target = _path(url, world.ctx, path)
    before = world.fingerprint()
    response, body = _post(world, role, target, form)
    _no_server_error(response, body, f"{target} {form!r}")
    if response.status_code != 302 and url != "/login":
        assert world.fingerprint() == before, f"{target} {form!r}"


def _form_for(url: str, world) -> dict:
    for m, _rule, u, data, _exp in MATRIX:
        if m == "POST" and u == url:
            return data(world.ctx)
    raise LookupError(url)


def test_a_title_with_control_characters_is_refused_and_nothing_is_saved(world):
    form = _form_for("/ideas/new", world) | {"title": "Fewer \x07 signatures, please"}
    count = db.session.scalar(select(db.func.count()).select_from(Idea))
    response, body = _post(world, "employee", "/ideas/new", form)
    assert response.status_code == 422
    assert "Please use letters, digits and punctuation only." in body
    assert db.session.scalar(select(db.func.count()).select_from(Idea)) == count


def test_exports_hold_a_title_saved_with_control_characters(world):
    for url in ("/ideas/export.xlsx", "/insights/figures.xlsx", "/ideas/export.csv"):
        response, _body = _get(world, "leader", url)
        assert response.status_code == 200, url
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(_get(world, "leader", "/ideas/export.xlsx")[0].data)).active
    titles = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "Stapler \ufffd\ufffd\ufffd\ufffd forms" in titles


MONEY_ERRORS = (
    "Please enter an amount, e.g. 1200 or 1200.50.",
    "This amount is too large.",
    "Enter an amount of 0 or more.",
)


@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity", "-Infinity", "1e400", "1e30", "-5"])
def test_money_fields_refuse_what_is_not_an_amount(world, value):
    before = world.fingerprint()
    settings_form = _form_for("/admin/settings", world) | {"empowerment_budget": value}
    response, body = _post(world, "admin", "/admin/settings", settings_form)
    assert response.status_code == 422 and any(m in body for m in MONEY_ERRORS), body
    department = {"name": "Logistics", "decision_budget": value}
    response, body = _post(world, "admin", "/admin/departments/new", department)
    assert response.status_code == 422 and any(m in body for m in MONEY_ERRORS)
    assert world.fingerprint() == before


def test_cr_lf_in_next_falls_back_to_a_safe_page(world):
    # An idea of its own: the generated posts may have withdrawn or decided the others.
    idea = factories.make_idea(world.org.other_head, department=world.org.sales).id
    for url, form in (
        ("/language", {"language": "en"}),
        (f"/ideas/{idea}/follow", {"follow": "add"}),
        (f"/ideas/{idea}/vote", {"vote": "add"}),
    ):
        for target in ("/ideas\r\nSet-Cookie: x=1", "/\t/evil.example", "/ideas\n"):
            response, _body = _post(world, "employee", url, form | {"next": target})
            assert response.status_code == 302, (url, target)
            assert "\n" not in response.location and "evil" not in response.location


def test_a_range_to_the_end_of_the_calendar_is_explained(world):
    args = urlencode(CALENDAR_ENDS[0])
    response, body = _get(world, "leader", f"/insights?{args}")
    assert response.status_code == 200
    assert "Please choose a day between 1970 and 2199." in body
    assert _get(world, "leader", f"/insights/figures.csv?{args}")[0].status_code == 200


def test_amounts_stored_before_the_bounds_cannot_break_a_page(world):
    from decimal import Decimal

    from suggestions.core.inputs import format_money

    with world.app.test_request_context():
        for stored in (Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("1e30")):
            assert format_money(stored, "EUR") == "?"
        assert format_money(Decimal("1200.5"), "EUR") == "€1,200.50"


def test_an_amount_may_be_written_with_a_decimal_comma(world):
    form = {"name": "Decimal Comma Department", "decision_budget": "1200,50"}
    response, _body = _post(world, "admin", "/admin/departments/new", form)
    assert response.status_code == 302
    from suggestions.org.models import Department

    named = Department.name == "Decimal Comma Department"
    saved = db.session.scalars(select(Department).where(named)).one()
    assert str(saved.decision_budget) == "1200.50"
    db.session.delete(saved)
    db.session.commit()
