"""Demo data: a small company with real-sounding ideas, in German and English.

Built through the same domain functions the pages use, so the demo shows real behaviour.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from .auth.accounts import create_user
from .auth.models import Role, User
from .extensions import db
from .ideas import rules
from .ideas.models import Idea
from .org.models import Category, Department
from .timeutil import now, travel_to

PASSWORD = "freiraum-demo"

DEPARTMENTS = [
    "Customer Service", "Finance", "Human Resources", "IT", "Legal", "Marketing",
    "Operations", "Sales",
]  # fmt: skip

CATEGORIES = [
    ("Red tape", "Bürokratie"),
    ("Customer service", "Kundenservice"),
    ("Process", "Prozess"),
    ("Tools & IT", "Werkzeuge & IT"),
    ("Workplace", "Arbeitsplatz"),
    ("Other", "Sonstiges"),
]

# email, name, role, department, headed departments, language
PEOPLE = [
    ("admin@freiraum.example", "Ada Admin", Role.ADMIN, "IT", [], "en"),
    ("leader@freiraum.example", "Lena Leitner", Role.LEADER, "Operations", [], "de"),
    ("head.service@freiraum.example", "Henrik Huber", Role.HEAD, "Customer Service",
     ["Customer Service"], "de"),
    ("head.finance@freiraum.example", "Fatma Yilmaz", Role.HEAD, "Finance", ["Finance"], "en"),
    ("head.it@freiraum.example", "Tom Becker", Role.HEAD, "IT", ["IT", "Operations"], "de"),
    ("employee@freiraum.example", "Sam Berger", Role.EMPLOYEE, "Customer Service", [], "en"),
    ("mia@freiraum.example", "Mia Müller", Role.EMPLOYEE, "Sales", [], "de"),
    ("jonas@freiraum.example", "Jonas Weber", Role.EMPLOYEE, "Operations", [], "de"),
    ("eva@freiraum.example", "Eva Schmidt", Role.EMPLOYEE, "Human Resources", [], "de"),
    ("paul@freiraum.example", "Paul Klein", Role.EMPLOYEE, "Finance", [], "en"),
    ("ana@freiraum.example", "Ana Costa", Role.EMPLOYEE, "Marketing", [], "en"),
    ("lukas@freiraum.example", "Lukas Wolf", Role.EMPLOYEE, "Legal", [], "de"),
]  # fmt: skip

# title, problem, proposal, benefit, category, owning dept, affected, hours, customer, anon,
# status, author email, days ago
IDEAS = [
    ("Let support agents refund up to 100 francs on the spot",
     "Last week I paid a customer's 50 francs out of my own pocket: approving the refund "
     "would have needed a sign-off from headquarters, on another continent, taking **three "
     "weeks**.",
     "Give every support agent a budget of 100 francs per case to fix a customer's problem "
     "immediately, without asking anyone. Log it, review monthly.",
     "Customers get their problem solved in one call. Agents stop writing approval mails.",
     "Customer service", "Customer Service", ["Finance"], 40, True, False,
     "employee@freiraum.example", 12),
    ("Bestellungen nach Prozessstart noch korrigieren dürfen",
     "Eine Kundin hat sich bei der Bestellmenge vertippt. Niemand konnte es korrigieren, "
     "\"weil der Prozess schon gestartet ist\". Niemand wusste, wer entscheiden darf.",
     "Bis zum Versand darf der Kundenservice Menge und Adresse ändern. Eine klare "
     "Verantwortliche pro Prozessschritt.",
     "Weniger Retouren, weniger Ärger bei Kundinnen und Kunden.",
     "Process", "Operations", ["Customer Service", "IT"], 25, True, False,
     "mia@freiraum.example", 3),
    ("Travel expenses: one form instead of three",
     "For every business trip we fill in the same data in three forms (request, booking, "
     "expense report). Each goes to a different approver.",
     "One travel form that feeds all three steps; approval once, by the team lead.",
     "About 45 minutes saved per trip, for roughly 300 trips a month.",
     "Red tape", "Finance", ["Human Resources"], 225, False, False,
     "paul@freiraum.example", 20),
    ("Urlaubsanträge ohne Ausdruck",
     "Urlaubsanträge werden ausgedruckt, unterschrieben, eingescannt und per Mail an HR "
     "geschickt.",
     "Antrag und Genehmigung im HR-Portal, das wir ohnehin schon haben.",
     "Kein Papier, schnellere Rückmeldung, weniger Nachfragen bei HR.",
     "Red tape", "Human Resources", [], 30, False, True,
     "eva@freiraum.example", 9),
    ("Password resets without a ticket",
     "A forgotten password means a ticket, and waiting up to a day. Meanwhile nobody can work.",
     "Self-service password reset with the company phone as second factor.",
     "Hundreds of tickets fewer a month; people can work again within minutes.",
     "Tools & IT", "IT", [], 120, False, False,
     "jonas@freiraum.example", 38),
    ("Quiet room on the second floor",
     "There is no place for a focused call or an hour of concentrated work.",
     "Turn the unused storage room on the second floor into a quiet room.",
     "Better calls with customers, less stress.",
     "Workplace", "Operations", [], None, False, False,
     "ana@freiraum.example", 5),
    ("Vertragsvorlagen für Standardfälle",
     "Jeder Standardvertrag geht einzeln durch die Rechtsabteilung, auch wenn nichts "
     "geändert wurde.",
     "Freigegebene Vorlagen, die ohne Prüfung genutzt werden dürfen, solange nichts daran "
     "geändert wird.",
     "Die Rechtsabteilung hat Zeit für die schwierigen Fälle, der Vertrieb schließt schneller ab.",
     "Red tape", "Legal", ["Sales"], 60, True, False,
     "lukas@freiraum.example", 15),
    ("Show delivery status to customers by SMS",
     "Customers call us to ask where their delivery is; we look it up in the same system "
     "they could see.",
     "Send an SMS with the tracking link when the parcel leaves the warehouse.",
     "Fewer calls about delivery status, happier customers.",
     "Customer service", "Customer Service", ["IT", "Operations"], 80, True, False,
     "employee@freiraum.example", 1),
    ("Monthly report nobody reads",
     "Every month I spend a day on a 40-page report. I asked around: nobody reads it.",
     "Stop the report for three months and see whether anyone misses it.",
     "One day a month for me, and for three colleagues in other teams.",
     "Red tape", "Finance", [], 32, False, True,
     "paul@freiraum.example", 60),
    ("Neue Mitarbeitende: Laptop am ersten Tag",
     "Neue Kolleginnen warten oft drei Tage auf ihren Laptop, weil die Bestellung erst nach "
     "Vertragsunterschrift starten darf.",
     "Bestellung startet mit der Zusage, nicht mit der Unterschrift.",
     "Produktiv ab Tag eins, guter erster Eindruck.",
     "Tools & IT", "IT", ["Human Resources"], 24, False, False,
     "eva@freiraum.example", 40),
    ("Shared calendar for meeting rooms",
     "Booking a room means e-mailing reception, who keeps a paper list.",
     "Rooms as resources in the calendar everyone already uses.",
     "No double bookings, no e-mails.",
     "Workplace", "Operations", ["IT"], 15, False, False,
     "ana@freiraum.example", 2),
    ("Kulanz bis 50 Euro ohne Rückfrage",
     "Für jede Gutschrift über 10 Euro muss ich bei der Teamleitung nachfragen.",
     "Grenze auf 50 Euro anheben, monatliche Auswertung statt Einzelfreigabe.",
     "Schnellere Lösung am Telefon, weniger Wartezeit für alle.",
     "Customer service", "Customer Service", ["Finance"], 50, True, False,
     "mia@freiraum.example", 4),
    ("Purchases under 200 without a sign-off chain",
     "A 40-euro headset needs three signatures and takes two weeks.",
     "Team leads approve purchases under 200 alone; Finance reviews monthly.",
     "Two weeks less waiting; fewer reminder mails.",
     "Red tape", "Finance", ["Operations"], 60, False, False,
     "jonas@freiraum.example", 50),
    ("Change a customer's address on the phone",
     "Customers must send a signed letter to change their address. Most call us instead, "
     "and we have to say no.",
     "Agents change the address after the usual identity check on the phone.",
     "One call instead of a letter and a week of waiting.",
     "Customer service", "Customer Service", [], 45, True, False,
     "employee@freiraum.example", 70),
    ("Dienstplan nicht mehr ausdrucken",
     "Der Wochendienstplan wird jeden Freitag ausgedruckt und an die Pinnwand gehängt. "
     "Änderungen erfahren wir oft zu spät.",
     "Dienstplan im Intranet, Änderungen per Benachrichtigung.",
     "Weniger verpasste Schichten, kein Papier.",
     "Process", "Operations", [], 12, False, False,
     "jonas@freiraum.example", 45),
    ("Press release templates in the shared drive",
     "Every press release starts from an old one someone finds in their mailbox.",
     "Three approved templates in the shared drive, linked from the team page.",
     "Half an hour saved per release, consistent wording.",
     "Tools & IT", "Marketing", [], 6, False, False,
     "ana@freiraum.example", 6),
]  # fmt: skip

COMMENTS = [
    (0, "mia@freiraum.example", "Same in Sales: we lose customers over small amounts."),
    (0, "paul@freiraum.example", "From Finance: a monthly review of such refunds is easy "
                                 "for us, as long as they are tagged."),
    (0, "head.service@freiraum.example", "We are looking at this with Finance. A first "
                                         "answer by the end of the month.", True),
    (2, "eva@freiraum.example", "HR would be glad, we chase missing forms every week."),
    (4, "head.it@freiraum.example", "Wir prüfen das. Das Tool dafür haben wir bereits "
                                     "lizenziert.", True),
    (4, "employee@freiraum.example", "Please! Yesterday three of us waited half a day."),
    (7, "jonas@freiraum.example", "Lager kann den Versandzeitpunkt liefern."),
]  # fmt: skip


def load() -> None:
    """Fill an empty database with the demo organisation."""
    rng = random.Random(2026)
    departments = {name: Department(name=name) for name in DEPARTMENTS}
    db.session.add_all(departments.values())
    categories = {}
    for position, (en, de) in enumerate(CATEGORIES):
        categories[en] = Category(name_en=en, name_de=de, position=position, active=True)
    db.session.add_all(categories.values())
    db.session.flush()

    people: dict[str, User] = {}
    for email, name, role, department, headed, language in PEOPLE:
        user = create_user(
            None, email=email, display_name=name, department=departments[department],
            role=role, language=language, password=PASSWORD,
        )  # fmt: skip
        user.headed_departments = [departments[d] for d in headed]
        people[email] = user
    db.session.flush()

    ideas: list[Idea] = []
    for row in IDEAS:
        (title, problem, proposal, benefit, category, owner, affected, hours, customer, anonymous,
         author, days_ago) = row  # fmt: skip
        text = rules.IdeaText(
            title=title, problem=problem, proposal=proposal, benefit=benefit,
            category=categories[category], owning_department=departments[owner],
            affected_departments=[departments[d] for d in affected],
            hours_lost_per_month=hours, customer_facing=customer,
        )  # fmt: skip
        with travel_to(now() - timedelta(days=days_ago, hours=3)):
            ideas.append(rules.submit_idea(people[author], text, anonymous=anonymous))

    voters = list(people.values())
    for idea in ideas:
        for voter in rng.sample(voters, rng.randint(1, len(voters) - 2)):
            rules.set_vote(idea, voter, True)

    for index, email, body, *official in COMMENTS:
        with travel_to(ideas[index].created_at + timedelta(hours=5 + index)):
            rules.add_comment(ideas[index], people[email], body, official=bool(official))

    for index, steps in STORIES.items():
        idea = ideas[index]
        for day, action, email, details in steps:
            with travel_to(idea.created_at + timedelta(days=day, hours=2)):
                _act(idea, action, people[email], details, ideas)
    db.session.flush()
    _settle_notifications()


# What happened to each idea after it was submitted, so the demo shows every state, overdue
# ideas and commitments of every outcome: idea index -> [(day after submission, action,
# who, details)]. Due dates and delivery days count in days after submission too.
STORIES = {
    0: [(1, "acknowledge", "head.service@freiraum.example",
         {"note": "Thanks, we are looking into it with Finance."})],
    1: [(1, "estimate_cost", "head.it@freiraum.example",
         {"amount": 18000, "note": "Needs a change in the order system."})],
    # 2: nobody answered for 20 days: the first response is overdue.
    3: [(2, "ask_info", "leader@freiraum.example",
         {"note": "Welche Formulare sind gemeint: Urlaub, Gleitzeit oder beide?"})],
    4: [(2, "acknowledge", "head.it@freiraum.example", {"note": "We check the licence."})],
    5: [(2, "decline", "head.it@freiraum.example",
         {"note": "The second floor is being rebuilt this year; we take it into the plans."})],
    6: [(1, "acknowledge", "leader@freiraum.example", {}),
        (4, "accept", "leader@freiraum.example",
         {"promise": "Legal publishes five templates for standard contracts.", "due": 24,
          "cost": 2000})],
    8: [(1, "acknowledge", "head.finance@freiraum.example", {}),
        (3, "accept", "head.finance@freiraum.example",
         {"promise": "The report pauses for three months; we ask its readers.", "due": 30,
          "cost": 0}),
        (5, "start", "head.finance@freiraum.example", {}),
        (20, "implement", "head.finance@freiraum.example",
         {"summary": "The monthly report is abolished. Nobody missed it in three months."})],
    9: [(5, "withdraw", "eva@freiraum.example", {"note": "Solved another way, thank you!"})],
    11: [(1, "mark_duplicate", "head.service@freiraum.example",
          {"survivor": 0, "note": "Same request as the refund budget; let us decide once."})],
    12: [(5, "accept", "head.finance@freiraum.example",
          {"promise": "Team leads approve purchases under 200 alone.", "due": 30, "cost": 1500}),
         (8, "start", "head.finance@freiraum.example", {})],
    13: [(3, "accept", "head.service@freiraum.example",
          {"promise": "Address changes by phone after an identity check.", "due": 20,
           "cost": 3000}),
         (35, "implement", "head.service@freiraum.example",
          {"summary": "Agents change addresses on the phone. No more letters."})],
    14: [(2, "accept", "head.it@freiraum.example",
          {"promise": "The roster moves to the intranet.", "due": 25, "cost": 4000}),
         (30, "break_commitment", "head.it@freiraum.example",
          {"note": "The roster system is being replaced company-wide; we wait for it."})],
    15: [(1, "just_do_it", "ana@freiraum.example",
          {"cost": 0, "summary": "Three templates are in the shared drive."})],
}  # fmt: skip


def _act(idea: Idea, action: str, actor: User, details: dict, ideas: list[Idea]) -> None:
    from .workflow import lifecycle

    note = details.get("note")
    start = idea.created_at
    if action == "estimate_cost":
        lifecycle.estimate_cost(idea, actor, Decimal(details["amount"]), note)
    elif action == "accept":
        lifecycle.accept(
            idea, actor, owner=actor, promise=details["promise"],
            due_on=(start + timedelta(days=details["due"])).date(),
            estimated_cost=Decimal(details["cost"]),
        )  # fmt: skip
    elif action == "implement":
        lifecycle.implement(idea, actor, change_summary=details["summary"])
    elif action == "just_do_it":
        lifecycle.just_do_it(
            idea, actor, cost=Decimal(details["cost"]), change_summary=details["summary"]
        )
    elif action == "mark_duplicate":
        lifecycle.mark_duplicate(idea, actor, ideas[details["survivor"]], note)
    elif action == "break_commitment":
        lifecycle.break_commitment(idea, actor, note)
    else:
        lifecycle.transition(idea, action, actor, note)


def _settle_notifications() -> None:
    """The listeners notified people as the demo was built; give each notification the time
    of what it reports, and mark the older ones read, so the bell shows a few new ones."""
    from sqlalchemy import select, update

    from .ideas.models import Comment, IdeaEvent
    from .notify.models import Notification, OutboxMessage, OutboxStatus

    for column, model in ((Notification.event_id, IdeaEvent), (Notification.comment_id, Comment)):
        moment = select(model.created_at).where(model.id == column).scalar_subquery()
        db.session.execute(
            update(Notification).where(column.is_not(None)).values(created_at=moment)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
    db.session.execute(
        update(Notification)
        .where(Notification.created_at < now() - timedelta(days=4))
        .values(read_at=now())
        .execution_options(synchronize_session=False)
    )
    # The mails of the demo's past count as sent back then: the mail worker of `make run`
    # then shows only the mails of what the visitor does.
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SENT, sent_at=OutboxMessage.created_at)
        .execution_options(synchronize_session=False)
    )


def empty() -> None:
    """Delete every row (``seed-demo --reset``); the organisation's settings stay."""
    from flask import g
    from sqlalchemy import text

    from .benchdata import empty_database

    empty_database()
    # On SQLite the search index is a virtual table outside the foreign keys: left alone, its
    # rows would match the new ideas that reuse the deleted ideas' ids.
    if db.engine.dialect.name == "sqlite":
        with db.engine.begin() as connection:
            connection.execute(text("DELETE FROM idea_search"))
    g.pop("org_settings", None)  # read before the session was closed


def logins_text() -> str:
    lines = ["", f"Demo logins (password for all: {PASSWORD}):"]
    for email, name, role, *_ in PEOPLE[:6]:
        lines.append(f"  {role.value:<9} {email:<34} {name}")
    lines.append("  ...and more employees, listed under Admin > Users.")
    return "\n".join(lines)


__all__ = ["PASSWORD", "empty", "load", "logins_text"]
