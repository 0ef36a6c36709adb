"""Demo data: a small company with real-sounding ideas, in German and English.

Built through the same domain functions the pages use, so the demo shows real behaviour.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import update

from .auth.accounts import create_user
from .auth.models import Role, User
from .extensions import db
from .ideas import rules
from .ideas.models import EventKind, Idea, IdeaEvent, IdeaStatus
from .org.models import Category, Department
from .timeutil import now

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
     IdeaStatus.IN_REVIEW, "employee@freiraum.example", 12),
    ("Bestellungen nach Prozessstart noch korrigieren dürfen",
     "Eine Kundin hat sich bei der Bestellmenge vertippt. Niemand konnte es korrigieren, "
     "\"weil der Prozess schon gestartet ist\". Niemand wusste, wer entscheiden darf.",
     "Bis zum Versand darf der Kundenservice Menge und Adresse ändern. Eine klare "
     "Verantwortliche pro Prozessschritt.",
     "Weniger Retouren, weniger Ärger bei Kundinnen und Kunden.",
     "Process", "Operations", ["Customer Service", "IT"], 25, True, False,
     IdeaStatus.NEW, "mia@freiraum.example", 3),
    ("Travel expenses: one form instead of three",
     "For every business trip we fill in the same data in three forms (request, booking, "
     "expense report). Each goes to a different approver.",
     "One travel form that feeds all three steps; approval once, by the team lead.",
     "About 45 minutes saved per trip, for roughly 300 trips a month.",
     "Red tape", "Finance", ["Human Resources"], 225, False, False,
     IdeaStatus.NEW, "paul@freiraum.example", 20),
    ("Urlaubsanträge ohne Ausdruck",
     "Urlaubsanträge werden ausgedruckt, unterschrieben, eingescannt und per Mail an HR "
     "geschickt.",
     "Antrag und Genehmigung im HR-Portal, das wir ohnehin schon haben.",
     "Kein Papier, schnellere Rückmeldung, weniger Nachfragen bei HR.",
     "Red tape", "Human Resources", [], 30, False, True,
     IdeaStatus.NEW, "eva@freiraum.example", 9),
    ("Password resets without a ticket",
     "A forgotten password means a ticket, and waiting up to a day. Meanwhile nobody can work.",
     "Self-service password reset with the company phone as second factor.",
     "Hundreds of tickets fewer a month; people can work again within minutes.",
     "Tools & IT", "IT", [], 120, False, False,
     IdeaStatus.IN_REVIEW, "jonas@freiraum.example", 30),
    ("Quiet room on the second floor",
     "There is no place for a focused call or an hour of concentrated work.",
     "Turn the unused storage room on the second floor into a quiet room.",
     "Better calls with customers, less stress.",
     "Workplace", "Operations", [], None, False, False,
     IdeaStatus.NEW, "ana@freiraum.example", 5),
    ("Vertragsvorlagen für Standardfälle",
     "Jeder Standardvertrag geht einzeln durch die Rechtsabteilung, auch wenn nichts "
     "geändert wurde.",
     "Freigegebene Vorlagen, die ohne Prüfung genutzt werden dürfen, solange nichts daran "
     "geändert wird.",
     "Die Rechtsabteilung hat Zeit für die schwierigen Fälle, der Vertrieb schließt schneller ab.",
     "Red tape", "Legal", ["Sales"], 60, True, False,
     IdeaStatus.NEW, "lukas@freiraum.example", 15),
    ("Show delivery status to customers by SMS",
     "Customers call us to ask where their delivery is; we look it up in the same system "
     "they could see.",
     "Send an SMS with the tracking link when the parcel leaves the warehouse.",
     "Fewer calls about delivery status, happier customers.",
     "Customer service", "Customer Service", ["IT", "Operations"], 80, True, False,
     IdeaStatus.NEW, "employee@freiraum.example", 1),
    ("Monthly report nobody reads",
     "Every month I spend a day on a 40-page report. I asked around: nobody reads it.",
     "Stop the report for three months and see whether anyone misses it.",
     "One day a month for me, and for three colleagues in other teams.",
     "Red tape", "Finance", [], 32, False, True,
     IdeaStatus.NEW, "paul@freiraum.example", 7),
    ("Neue Mitarbeitende: Laptop am ersten Tag",
     "Neue Kolleginnen warten oft drei Tage auf ihren Laptop, weil die Bestellung erst nach "
     "Vertragsunterschrift starten darf.",
     "Bestellung startet mit der Zusage, nicht mit der Unterschrift.",
     "Produktiv ab Tag eins, guter erster Eindruck.",
     "Tools & IT", "IT", ["Human Resources"], 24, False, False,
     IdeaStatus.WITHDRAWN, "eva@freiraum.example", 40),
    ("Shared calendar for meeting rooms",
     "Booking a room means e-mailing reception, who keeps a paper list.",
     "Rooms as resources in the calendar everyone already uses.",
     "No double bookings, no e-mails.",
     "Workplace", "Operations", ["IT"], 15, False, False,
     IdeaStatus.NEW, "ana@freiraum.example", 2),
    ("Kulanz bis 50 Euro ohne Rückfrage",
     "Für jede Gutschrift über 10 Euro muss ich bei der Teamleitung nachfragen.",
     "Grenze auf 50 Euro anheben, monatliche Auswertung statt Einzelfreigabe.",
     "Schnellere Lösung am Telefon, weniger Wartezeit für alle.",
     "Customer service", "Customer Service", ["Finance"], 50, True, False,
     IdeaStatus.NEW, "mia@freiraum.example", 4),
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
         status, author, days_ago) = row  # fmt: skip
        text = rules.IdeaText(
            title=title, problem=problem, proposal=proposal, benefit=benefit,
            category=categories[category], owning_department=departments[owner],
            affected_departments=[departments[d] for d in affected],
            hours_lost_per_month=hours, customer_facing=customer,
        )  # fmt: skip
        idea = rules.submit_idea(people[author], text, anonymous=anonymous)
        _backdate(idea, days_ago)
        if status == IdeaStatus.IN_REVIEW:
            head = departments[owner].heads[0] if departments[owner].heads else None
            _demo_status(idea, head or people["leader@freiraum.example"], status, days_ago - 1,
                         "Thanks, we are looking into it.")  # fmt: skip
        elif status == IdeaStatus.WITHDRAWN:
            from .workflow.lifecycle import transition

            transition(idea, "withdraw", people[author], "Solved another way, thank you!")
        ideas.append(idea)

    voters = list(people.values())
    for idea in ideas:
        if idea.status == IdeaStatus.WITHDRAWN:
            continue
        for voter in rng.sample(voters, rng.randint(1, len(voters) - 2)):
            rules.set_vote(idea, voter, True)

    for index, email, body, *official in COMMENTS:
        comment = rules.add_comment(ideas[index], people[email], body, official=bool(official))
        comment.created_at = ideas[index].created_at + timedelta(hours=5 + comment.id)
    db.session.flush()


def _backdate(idea: Idea, days_ago: int) -> None:
    moment = now() - timedelta(days=days_ago, hours=3)
    idea.created_at = idea.updated_at = idea.status_changed_at = moment
    db.session.execute(
        update(IdeaEvent).where(IdeaEvent.idea_id == idea.id).values(created_at=moment)
    )


def _demo_status(idea: Idea, actor: User, status: str, days_ago: int, note: str) -> None:
    """Demo ideas already under review; the review actions themselves come with triage."""
    moment = now() - timedelta(days=max(days_ago, 0))
    previous, idea.status, idea.status_changed_at = idea.status, status, moment
    event = rules.record_event(
        idea, actor, EventKind.STATUS_CHANGED, from_status=previous, to_status=status, note=note
    )
    event.created_at = moment


def logins_text() -> str:
    lines = ["", "Demo logins (password for all: %s):" % PASSWORD]
    for email, name, role, *_ in PEOPLE[:6]:
        lines.append(f"  {role.value:<9} {email:<34} {name}")
    lines.append("  ...and more employees, listed under Admin > Users.")
    return "\n".join(lines)


__all__ = ["PASSWORD", "load", "logins_text"]
