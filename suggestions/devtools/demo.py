"""Demo data: a mid-size company (about 150 people in nine departments) with half a year of
real-sounding ideas, in German and English.

Built through the same domain functions the pages use, so the demo shows real behaviour.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select, update

from ..auth.accounts import create_user
from ..auth.models import Role, User
from ..core.clock import local_date, now, travel_to
from ..core.extensions import db
from ..ideas import rules
from ..ideas.models import Comment, Idea, IdeaEvent
from ..notify.models import Notification, OutboxMessage, OutboxStatus
from ..org.models import Category, Department
from ..workflow import lifecycle

PASSWORD = "freiraum-demo"

DEPARTMENTS = [
    "Customer Service", "Finance", "Human Resources", "IT", "Legal", "Logistics", "Marketing",
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
    (4, "head.it@freiraum.example", "We are looking into it. We hold a licence for the "
                                     "tool already.", True),
    (4, "employee@freiraum.example", "Please! Yesterday three of us waited half a day."),
    (7, "jonas@freiraum.example", "The warehouse can supply the time of dispatch."),
]  # fmt: skip


def load() -> None:
    """Fill an empty database with the demo organisation."""
    from ..workflow.declines import add_default_reasons

    rng = random.Random(2026)
    add_default_reasons()  # the migration's list, again after ``seed-demo --reset``
    departments = {name: Department(name=name) for name in DEPARTMENTS}
    db.session.add_all(departments.values())
    categories = {}
    for position, (en, de) in enumerate(CATEGORIES):
        categories[en] = Category(name_en=en, name_de=de, position=position, active=True)
    db.session.add_all(categories.values())
    db.session.flush()

    people: dict[str, User] = {}
    # Nobody has chosen a language yet: the browser decides until a person picks one (the
    # footer or their settings). The first account goes through the real path (rules on email
    # and password); the others reuse its argon2 hash: 150 hashes would take most of a minute.
    for email, name, role, department, headed, _language in PEOPLE[:1]:
        user = create_user(
            None, email=email, display_name=name, department=departments[department],
            role=role, language=None, password=PASSWORD,
        )  # fmt: skip
        user.headed_departments = [departments[d] for d in headed]
        people[email] = user
    shared_hash = user.password_hash
    for email, name, role, department, headed, _language in PEOPLE[1:]:
        user = _person(email, name, role, departments[department], None, shared_hash)
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

    _more_people(departments, people, rng)
    _more_ideas(departments, categories, people, rng)
    _former_colleague(departments, categories, people, shared_hash)
    _fair_decisions(departments, categories, people, ideas, rng)
    _ledger(departments, people, ideas)
    _governance(ideas, people)
    _settle_notifications()


def _former_colleague(departments, categories, people, shared_hash) -> None:
    """Someone who left and asked to be erased: their idea and comment stay, signed "Former
    employee" (people.erasure)."""
    from ..people import erasure

    leaver = _person("leaver@freiraum.example", "Lena Leaving", Role.EMPLOYEE,
                     departments["Customer Service"], None, shared_hash)  # fmt: skip
    db.session.flush()
    text = rules.IdeaText(
        title="One login for the ticket system and the knowledge base",
        problem="We sign in twice every morning and again after every timeout.",
        proposal="Connect both tools to the company sign-in.",
        benefit="Ten minutes a day for every agent.",
        category=next(iter(categories.values())), owning_department=departments["IT"],
        affected_departments=[departments["Customer Service"]], hours_lost_per_month=30,
    )  # fmt: skip
    with travel_to(now() - timedelta(days=40)):
        idea = rules.submit_idea(leaver, text)
        rules.add_comment(idea, leaver, "The knowledge base times out after 15 minutes.")
    erasure.erase(people["admin@freiraum.example"], leaver, confirm_email=leaver.email)


# The bureaucracy ledger: kind, name, department, owner, cases per month, minutes per case,
# signatures, hand-offs, and the demo ideas (by index) that name it.
LEDGER = [
    ("report", "Monthly controlling report (40 pages)", "Finance", "head.finance", 4, 480, 0, 3,
     [8]),
    ("form", "Address change by signed letter", "Customer Service", "head.service", 300, 12, 1,
     2, [13]),
    ("form", "Travel request form", "Finance", "head.finance", 300, 15, 2, 1, [2]),
    ("form", "Travel booking form", "Finance", "head.finance", 300, 10, 1, 1, [2]),
    ("form", "Expense report form", "Finance", "head.finance", 300, 20, 2, 2, [2]),
    ("approval", "Sign-off chain for purchases under 200", "Finance", "head.finance", 150, 20,
     3, 3, [12]),
    ("approval", "Legal review of every standard contract", "Legal", None, 80, 90, 1, 2, [6]),
    ("form", "Paper leave request", "Human Resources", None, 120, 10, 2, 2, [3]),
    ("approval", "Refund sign-off by headquarters", "Customer Service", "head.service", 60, 30,
     1, 3, [0, 11]),
    ("rule", "Password changes only through a ticket", "IT", "head.it", 400, 15, 0, 1, [4]),
    ("report", "Weekly roster printout", "Operations", "head.it", 4, 60, 0, 1, [14]),
    ("tool", "Meeting room spreadsheet", "Operations", None, 200, 3, 0, 0, [10]),
    ("approval", "Supervisor approval of address changes", "Customer Service", "head.service",
     300, 5, 1, 1, [13]),
]  # fmt: skip


def _ledger(departments: dict, people: dict, ideas: list[Idea]) -> None:
    """The demo's ledger: two items abolished through implemented ideas (one measured, one
    waiting for its figures), baselines and targets on accepted ideas, last month's review
    pack."""
    from ..insights.review_pack import make_pack, month_start, previous_month
    from ..ledger import impact
    from ..ledger import rules as ledger_rules

    admin = people["admin@freiraum.example"]
    items = []
    named: dict[int, list[int]] = {}
    for kind, title, department, owner, cases, minutes, signatures, handoffs, linked in LEDGER:
        fields = ledger_rules.ItemFields(
            kind=kind, title=title, description="", department=departments[department],
            owner=people[f"{owner}@freiraum.example"] if owner else None,
            cases_per_month=cases, minutes_per_case=minutes, signatures=signatures,
            handoffs=handoffs,
        )  # fmt: skip
        with travel_to(now() - timedelta(days=75)):
            item = ledger_rules.create_item(admin, fields, imported=True)
        items.append(item)
        for index in linked:
            named.setdefault(index, []).append(item.id)
    for index, item_ids in named.items():
        ledger_rules.link_items(ideas[index], item_ids)
    db.session.flush()
    finance, service = (
        people["head.finance@freiraum.example"],
        people["head.service@freiraum.example"],
    )
    report, letter = items[0], items[1]
    plans = {
        8: (finance, report, (480, 4), (0, 0), "abolished"),
        13: (service, letter, (12, 300), (4, 300), "abolished"),
        12: (finance, items[5], (20, 150), (5, 150), None),
    }
    for index, (head, item, before, after, change) in plans.items():
        idea = ideas[index]
        with travel_to((idea.decided_at or now()) + timedelta(hours=1)):
            impact.record_plan(idea, head, impact.Figures(*before), impact.Figures(*after), item)
        if change:
            with travel_to(idea.implemented_at + timedelta(hours=1)):
                ledger_rules.record_change(idea, head, ledger_rules.ChangeFields(item, change))
    with travel_to(ideas[13].implemented_at + timedelta(hours=2)):  # and its approval step
        ledger_rules.record_change(
            ideas[13], service, ledger_rules.ChangeFields(items[-1], "abolished")
        )
    db.session.flush()
    impact.ask_for_measurements(now())
    db.session.flush()
    from sqlalchemy import select

    from ..ledger.models import Measurement

    asked = db.session.scalars(
        select(Measurement).where(Measurement.idea_id == ideas[8].id)
    ).first()
    if asked is not None:  # nobody missed the report: nothing left of its cost
        impact.record_measurement(asked, finance, impact.Figures(0, 0))
    make_pack(previous_month(month_start(now().date())))


def _governance(ideas: list[Idea], people: dict[str, User]) -> None:
    """Moderation and internal notes: two reports, a hidden comment, a note with a mention,
    and a works-council member with the moderator flag (the audit log fills itself)."""
    from ..governance import moderation, notes
    from ..governance.models import Moderator

    admin, lukas = people["admin@freiraum.example"], people["lukas@freiraum.example"]
    db.session.add(Moderator(user_id=lukas.id))  # e.g. on the works council
    idea = ideas[0]
    with travel_to(idea.created_at + timedelta(days=1)):
        slip = rules.add_comment(
            idea, people["jonas@freiraum.example"],
            "Ask Frau Keller in accounting, her mobile is 0171 5550123, she always helps.",
        )  # fmt: skip
    with travel_to(idea.created_at + timedelta(days=1, hours=2)):
        moderation.report(people["employee@freiraum.example"], idea, slip, "personal_data",
                          "A private phone number.")  # fmt: skip
    with travel_to(idea.created_at + timedelta(days=1, hours=4)):
        moderation.hide(admin, idea, slip, "personal_data", "Private number removed.")
    moderation.report(people["mia@freiraum.example"], ideas[5], None, "other",
                      "Sounds like a complaint about one colleague.")  # fmt: skip
    with travel_to(idea.created_at + timedelta(days=2)):
        notes.write_note(
            people["head.service@freiraum.example"], idea,
            "Finance agrees in principle. @Lena Leitner, can we decide this above 100?",
        )  # fmt: skip


# What happened to each idea after it was submitted, so the demo shows every state, overdue
# ideas and commitments of every outcome: idea index -> [(day after submission, action,
# who, details)]. Due dates and delivery days count in days after submission too.
STORIES = {
    0: [(1, "acknowledge", "head.service@freiraum.example",
         {"note": "Thanks, we are looking into it with Finance."})],
    1: [(1, "estimate_cost", "head.it@freiraum.example",
         {"amount": 18000, "note": "Dafür muss das Bestellsystem geändert werden."})],
    # 2: nobody answered for 20 days: the first response is overdue.
    3: [(2, "ask_info", "leader@freiraum.example",
         {"note": "Welche Formulare sind gemeint: Urlaub, Gleitzeit oder beide?"})],
    4: [(2, "acknowledge", "head.it@freiraum.example", {"note": "We check the licence."})],
    5: [(2, "decline", "head.it@freiraum.example",
         {"note": "The second floor is being rebuilt this year; we take it into the plans.",
          "reason": "Already planned", "revisit": 45,
          "change": "If the rebuilding slips to next year, we fix it now."})],
    6: [(1, "acknowledge", "leader@freiraum.example", {}),
        (4, "accept", "leader@freiraum.example",
         {"promise": "Die Rechtsabteilung veröffentlicht fünf Vorlagen für Standardverträge.",
          "due": 24,
          "cost": 2000})],
    8: [(1, "acknowledge", "head.finance@freiraum.example", {}),
        (3, "accept", "head.finance@freiraum.example",
         {"promise": "The report pauses for three months; we ask its readers.", "due": 30,
          "cost": 0}),
        (5, "start", "head.finance@freiraum.example", {}),
        (20, "implement", "head.finance@freiraum.example",
         {"summary": "The monthly report is abolished. Nobody missed it in three months."})],
    9: [(5, "withdraw", "eva@freiraum.example",
         {"note": "Hat sich anders gelöst, vielen Dank!"})],
    11: [(1, "mark_duplicate", "head.service@freiraum.example",
          {"survivor": 0,
           "note": "Dasselbe Anliegen wie das Erstattungsbudget; wir entscheiden einmal."})],
    12: [(5, "accept", "head.finance@freiraum.example",
          {"promise": "Team leads approve purchases under 200 alone.", "due": 30, "cost": 1500}),
         (8, "start", "head.finance@freiraum.example", {})],
    13: [(3, "accept", "head.service@freiraum.example",
          {"promise": "Address changes by phone after an identity check.", "due": 20,
           "cost": 3000}),
         (35, "implement", "head.service@freiraum.example",
          {"summary": "Agents change addresses on the phone. No more letters."})],
    14: [(2, "accept", "head.it@freiraum.example",
          {"promise": "Der Dienstplan kommt ins Intranet.", "due": 25, "cost": 4000}),
         (30, "break_commitment", "head.it@freiraum.example",
          {"note": "Das Dienstplansystem wird konzernweit ersetzt; wir warten darauf."})],
    15: [(1, "just_do_it", "ana@freiraum.example",
          {"cost": 0, "summary": "Three templates are in the shared drive."})],
}  # fmt: skip


def _act(idea: Idea, action: str, actor: User, details: dict, ideas: list[Idea]) -> None:
    note = details.get("note")
    start = idea.created_at
    if action == "estimate_cost":
        lifecycle.estimate_cost(idea, actor, Decimal(details["amount"]), note)
    elif action == "accept":
        lifecycle.accept(
            idea, actor, owner=actor, promise=details["promise"],
            due_on=local_date(start + timedelta(days=details["due"])),
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
    elif action == "decline" and "reason" in details:
        _decline(idea, actor, details)
    else:
        lifecycle.transition(idea, action, actor, note)


def _decline(idea: Idea, actor: User, details: dict) -> None:
    """A reasoned decline; ``revisit``: days from today (the real one) until it comes back."""
    from ..core.clock import _real_now
    from ..workflow import declines

    reason = next(r for r in declines.reasons() if r.name_en == details["reason"])
    revisit = details.get("revisit")
    declines.decline(
        idea, actor, reason_id=reason.id, note=details["note"],
        change_our_mind=details.get("change"),
        revisit_on=(_real_now() + timedelta(days=revisit)).date() if revisit else None,
    )  # fmt: skip


CAMPAIGN_IDEAS = 4  # the ideas filed into the demo's campaigns


def _fair_decisions(departments, categories, people, ideas, rng: random.Random) -> None:
    """Issue "decisions that hold": a broadly supported idea with its leadership date, one
    whose date was missed, scorecards, and a campaign from question to results (plus an open
    one)."""
    from ..workflow import campaigns, lifecycle, scorecards

    moment = now()
    leader, service_head = (
        people["leader@freiraum.example"],
        people["head.service@freiraum.example"],
    )
    it_head, finance_head = (
        people["head.it@freiraum.example"],
        people["head.finance@freiraum.example"],
    )
    everyone = [p for p in people.values() if p.department_id is not None]
    # Broad support: idea 4 (in review) reaches 25 supporters from many departments 6 days
    # ago; idea 2 (never answered) reached it 40 days ago and leadership missed its date.
    for index, days_ago in ((4, 6), (2, 40)):
        idea = ideas[index]
        when = max(idea.created_at + timedelta(hours=6), moment - timedelta(days=days_ago))
        with travel_to(when):
            for voter in rng.sample(everyone, min(40, len(everyone))):
                rules.set_vote(idea, voter, True)
    # Scorecards on the ideas waiting for a decision.
    for index in (0, 1, 4):
        for scorer, base in ((leader, 4), (service_head, 3), (it_head, 2)):
            scorecards.score(
                ideas[index], scorer, impact=base + index % 2, effort=2 + index % 3,
                cost=1 + index % 4, risk=2,
                comment="Clear win for customers." if scorer is leader and index == 0 else None,
            )  # fmt: skip

    def answer(campaign, author, title, problem, proposal, category, owner):
        text = rules.IdeaText(
            title=title, problem=problem, proposal=proposal,
            benefit="Less waiting for customers and colleagues.",
            category=categories[category], owning_department=departments[owner],
            affected_departments=[],
        )  # fmt: skip
        idea = rules.submit_idea(people[author], text)
        campaigns.file_idea(campaign, idea, people[author])
        return idea

    # A campaign that ran from question to results: asked 40 days ago, closed 10 days ago.
    with travel_to(moment - timedelta(days=40)):
        closed = campaigns.create_campaign(
            leader, question="Which approval step could we drop?",
            description="Name one signature, sign-off or approval that protects nobody.",
            deadline=(moment - timedelta(days=10)).date(),
        )  # fmt: skip
    with travel_to(moment - timedelta(days=38)):
        drop_travel = answer(
            closed,
            "paul@freiraum.example",
            "No second signature on travel under 300",
            "Every train ticket needs two signatures.",
            "Team leads sign travel under 300 alone.",
            "Red tape",
            "Finance",
        )
        drop_forms = answer(
            closed,
            "jonas@freiraum.example",
            "Stop printing the delivery approval",
            "Each delivery note is printed, signed and scanned.",
            "Approve in the logistics system.",
            "Process",
            "Operations",
        )
        keep_legal = answer(
            closed,
            "mia@freiraum.example",
            "Skip the legal check on standard offers",
            "Legal reviews every offer, even standard ones.",
            "Standard offers go out without a legal check.",
            "Red tape",
            "Legal",
        )
    with travel_to(moment - timedelta(days=30)):
        lifecycle.accept(
            drop_travel, finance_head, owner=finance_head,
            promise="Team leads approve travel under 300 alone.",
            due_on=(moment - timedelta(days=12)).date(), estimated_cost=Decimal(0),
        )  # fmt: skip
        lifecycle.accept(
            drop_forms, it_head, owner=it_head, promise="Delivery approval in the system.",
            due_on=(moment + timedelta(days=20)).date(), estimated_cost=Decimal(1500),
        )  # fmt: skip
        _decline(keep_legal, leader, {
            "reason": "Legal requirement",
            "note": "Offers above 10,000 must be checked by law; we shorten the check instead.",
            "change": "A template approved once by Legal would make this possible.",
        })  # fmt: skip
    with travel_to(moment - timedelta(days=14)):
        lifecycle.implement(drop_travel, finance_head,
                            change_summary="One signature for travel under 300.")  # fmt: skip
    # An open campaign, asked of two departments.
    with travel_to(moment - timedelta(days=5)):
        portal = campaigns.create_campaign(
            leader, question="Ideas for the new customer portal",
            deadline=(moment + timedelta(days=21)).date(),
            departments=[departments["Customer Service"], departments["Sales"]],
        )  # fmt: skip
        answer(portal, "employee@freiraum.example", "Let customers fix typos in their order",
               "Nobody may correct an order once the process has started.",
               "An edit button for the first ten minutes.", "Customer service",
               "Customer Service")  # fmt: skip


def _settle_notifications() -> None:
    """The listeners notified people as the demo was built; give each notification the time
    of what it reports, and mark the older ones read, so the bell shows a few new ones."""
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


# -- the rest of the company --------------------------------------------------------------
# Generated from the lists below with a fixed seed, so every run builds the same company of
# about 150 people: departments large enough for the dashboard's smallest group (5 people),
# half a year of ideas, votes, comments, decisions and commitments.

# People per department, the hand-made people above included.
TEAM_SIZES = {
    "Customer Service": 30, "Operations": 24, "Sales": 21, "Logistics": 19, "IT": 16,
    "Finance": 12, "Marketing": 10, "Human Resources": 9, "Legal": 7,
}  # fmt: skip

# Every department has a head (Tom Becker leads IT and Operations).
MORE_HEADS = [
    ("head.hr@freiraum.example", "Katharina Vogel", "Human Resources", "de"),
    ("head.legal@freiraum.example", "Jan Hoffmann", "Legal", "de"),
    ("head.marketing@freiraum.example", "Priya Nair", "Marketing", "en"),
    ("head.sales@freiraum.example", "Marco Rossi", "Sales", "en"),
    ("head.logistics@freiraum.example", "Svenja Krüger", "Logistics", "de"),
]
MORE_LEADERS = [("ceo@freiraum.example", "Michael Brandt", "Operations", "de")]

FIRST_NAMES = [
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannah", "Ibrahim", "Julia",
    "Kai", "Laura", "Maximilian", "Nina", "Oliver", "Paula", "Quentin", "Rosa", "Stefan",
    "Tanja", "Ute", "Valentin", "Wiebke", "Yusuf", "Zoe", "Aylin", "Björn", "Chiara", "Dmitri",
    "Emma", "Fabian", "Gül", "Hendrik", "Ines", "Jakob", "Karolina", "Leon", "Marie", "Niklas",
    "Olga", "Pedro", "Rania", "Sophie", "Thomas", "Uwe", "Vanessa", "Wei", "Xenia", "Yara",
    "Amara", "Luca", "Mehmet", "Sara", "Tim", "Lea", "Noah", "Mila", "Jonathan", "Aisha",
]  # fmt: skip
LAST_NAMES = [
    "Bauer", "Fischer", "Meyer", "Wagner", "Schulz", "Koch", "Richter", "Neumann", "Schwarz",
    "Zimmermann", "Braun", "Hofmann", "Hartmann", "Lange", "Werner", "Krause", "Lehmann",
    "Köhler", "Maier", "Schmitt", "Öztürk", "Kaya", "Nowak", "Kowalski", "Santos", "Ferreira",
    "Nguyen", "Ivanova", "Popescu", "Haddad", "Okafor", "Jensen", "Lindqvist", "Moreau",
    "García", "Bianchi", "Papadopoulos", "Horvat", "Demir", "Friedrich", "Vogt", "Engel",
    "Sommer", "Winkler", "Roth", "Jäger", "Berg", "Brandt", "Kraus", "Peters",
]  # fmt: skip

# title, problem, proposal, benefit, category, owning dept, affected, hours lost per month,
# customer-facing
MORE_IDEAS = [
    ("Rücksendeetiketten per E-Mail statt per Post",
     "Kundinnen warten fünf Tage auf ein Retourenetikett, das wir ausdrucken und verschicken.",
     "Das Etikett als PDF per E-Mail senden, sobald die Retoure angemeldet ist.",
     "Schnellere Rückerstattung, weniger Porto, weniger Nachfragen.",
     "Customer service", "Logistics", ["Customer Service"], 30, True),
    ("One login for the three warehouse systems",
     "Pickers sign in to three systems with three passwords during every shift change.",
     "Single sign-on for the scanner, the stock system and the shift planner.",
     "Ten minutes per shift change, fewer locked accounts.",
     "Tools & IT", "IT", ["Logistics"], 60, False),
    ("Angebote bis 5.000 Euro ohne Freigabe der Geschäftsleitung",
     "Jedes Angebot über 1.000 Euro Rabatt braucht eine Unterschrift der Geschäftsleitung.",
     "Der Vertrieb entscheidet bis 5.000 Euro selbst; monatliche Auswertung.",
     "Angebote gehen am selben Tag raus statt nach einer Woche.",
     "Red tape", "Sales", ["Finance"], 40, True),
    ("Expense receipts by photo",
     "Paper receipts are glued to a sheet, scanned and sent by internal post to Finance.",
     "Take a photo in the expense app; the paper goes in the bin after 30 days.",
     "No internal post, refunds within a week instead of a month.",
     "Red tape", "Finance", [], 50, False),
    ("Kundendaten nur einmal erfassen",
     "Neue Geschäftskunden werden im CRM, in der Buchhaltung und im Versand je einmal "
     "angelegt.",
     "Das CRM ist die Quelle; Buchhaltung und Versand übernehmen die Daten automatisch.",
     "Keine Tippfehler in drei Systemen, eine Stunde weniger pro Neukunde.",
     "Process", "Sales", ["Finance", "Logistics"], 45, True),
    ("Weekly status meeting as a written update",
     "Twenty people sit in a one-hour status meeting where each speaks for two minutes.",
     "A short written update in the team channel; the meeting only when something is stuck.",
     "Twenty hours a week back for the team.",
     "Process", "Operations", [], 80, False),
    ("Schichttausch ohne Formular",
     "Wer eine Schicht tauschen will, füllt ein Formular aus, das die Teamleitung abzeichnet.",
     "Tausch unter Kolleginnen im Schichtplaner, die Teamleitung sieht ihn nur noch.",
     "Weniger Papier, schnellere Absprachen.",
     "Red tape", "Logistics", ["Human Resources"], 15, False),
    ("Standard answers for the ten most common questions",
     "Every agent writes the same answers about delivery times and returns in their own words.",
     "Ten approved text blocks in the ticket system, reviewed every quarter.",
     "Faster answers, the same information for every customer.",
     "Customer service", "Customer Service", ["Legal"], 35, True),
    ("Bewerbungsgespräche per Video als Standard",
     "Für das erste Gespräch reisen Bewerberinnen an, oft für 30 Minuten.",
     "Erstgespräch per Video, vor Ort nur das zweite.",
     "Schnellere Einstellungen, weniger Reisekosten.",
     "Process", "Human Resources", [], 20, False),
    ("Laptops reused instead of scrapped after three years",
     "Laptops are replaced every three years, even when they work well.",
     "Replace on need; refurbish working laptops for trainees.",
     "Lower costs, less waste.",
     "Tools & IT", "IT", ["Finance"], None, False),
    ("Ein Ansprechpartner pro Großkunde",
     "Großkunden sprechen je nach Anliegen mit vier Abteilungen und erzählen alles viermal.",
     "Eine feste Ansprechpartnerin im Kundenservice, die intern weiterleitet.",
     "Zufriedenere Großkunden, weniger doppelte Arbeit.",
     "Customer service", "Customer Service", ["Sales"], 25, True),
    ("Invoices as PDF by default",
     "We still print and post 4,000 invoices a month, although most customers asked for PDF.",
     "PDF by default; paper only for customers who ask for it.",
     "Postage saved, invoices arrive three days earlier.",
     "Process", "Finance", ["Customer Service"], 70, True),
    ("Marketing-Freigaben in einer Runde",
     "Eine Kampagne geht nacheinander an Recht, Vertrieb und Geschäftsleitung: drei Wochen.",
     "Eine gemeinsame Freigaberunde mit allen dreien, höchstens drei Tage.",
     "Kampagnen erscheinen, solange das Thema aktuell ist.",
     "Red tape", "Marketing", ["Legal", "Sales"], 30, False),
    ("Parcel damage photos straight into the claim",
     "Damaged parcels are photographed, printed and attached to a paper claim form.",
     "The scanner app takes the photo and opens the claim with the carrier directly.",
     "Claims filed the same day; more of them are paid.",
     "Process", "Logistics", ["Finance"], 25, True),
    ("Vertretungsregel für Freigaben im Urlaub",
     "Ist die Teamleitung im Urlaub, bleiben Bestellungen und Anträge zwei Wochen liegen.",
     "Jede Freigabe hat automatisch eine Vertretung.",
     "Nichts bleibt liegen, weil jemand im Urlaub ist.",
     "Red tape", "Operations", ["Finance", "Human Resources"], 40, False),
    ("Callback instead of waiting on hold",
     "At peak times customers wait twenty minutes on hold and many hang up.",
     "Offer a callback slot when the wait is longer than five minutes.",
     "Fewer lost calls, calmer conversations.",
     "Customer service", "Customer Service", ["IT"], 50, True),
    ("Vertragsdatenbank statt Ordner",
     "Verträge liegen in Ordnern; Fristen erfährt man oft erst nach Ablauf.",
     "Eine Vertragsdatenbank mit Erinnerung drei Monate vor jeder Kündigungsfrist.",
     "Keine verpassten Fristen, schnellere Auskünfte.",
     "Tools & IT", "Legal", ["Finance"], 20, False),
    ("Onboarding checklist everyone can see",
     "New colleagues get a different list of what to do from every team they ask.",
     "One checklist for the first two weeks, kept by HR, with a named contact per step.",
     "New colleagues are productive sooner and feel welcome.",
     "Workplace", "Human Resources", ["IT"], 15, False),
    ("Lieferzeit im Shop ehrlich anzeigen",
     "Der Shop zeigt immer zwei Tage Lieferzeit, auch wenn ein Artikel drei Wochen braucht.",
     "Die echte Lieferzeit aus dem Lagerbestand anzeigen.",
     "Weniger Beschwerden und Stornos.",
     "Customer service", "Sales", ["Logistics", "IT"], 40, True),
    ("Stop printing the daily stock report",
     "The daily stock report is printed in four copies and filed unread.",
     "Show it on the warehouse screen; print only on request.",
     "Paper and toner saved, and the figures are current.",
     "Red tape", "Logistics", [], 8, False),
    ("Gleitzeit ohne Stempeluhr für das Büro",
     "Im Büro stempeln wir noch an einer Uhr am Eingang, die oft ausfällt.",
     "Arbeitszeit im HR-Portal erfassen, auch mobil.",
     "Kein Nachtragen per Formular mehr, wenn die Uhr streikt.",
     "Workplace", "Human Resources", ["IT"], 25, False),
    ("Price list in one place",
     "Sales, customer service and the shop each keep their own copy of the price list.",
     "One price list in the product system that all three read.",
     "No wrong prices quoted to customers.",
     "Process", "Marketing", ["Sales", "Customer Service"], 30, True),
    ("Passwortregeln ohne 30-Tage-Wechsel",
     "Alle 30 Tage ein neues Passwort: Die Leute schreiben es auf Zettel.",
     "Lange Passphrasen, Wechsel nur bei Verdacht, dazu ein zweiter Faktor.",
     "Sicherer und weniger gesperrte Konten.",
     "Tools & IT", "IT", [], 30, False),
    ("Small repairs without a purchase order",
     "A broken door handle needs a purchase order, three quotes and a week.",
     "Facility staff may order repairs up to 300 euros directly.",
     "Things get fixed the same day.",
     "Red tape", "Operations", ["Finance"], 12, False),
    ("Reklamationen mit Foto über das Kundenportal",
     "Kundinnen beschreiben Schäden am Telefon, wir bitten dann per Brief um Fotos.",
     "Foto-Upload direkt im Kundenportal, die Reklamation startet sofort.",
     "Eine Woche schneller, weniger Telefonate.",
     "Customer service", "Customer Service", ["IT", "Logistics"], 45, True),
    ("Meeting-free Wednesday mornings",
     "Focused work is impossible when the calendar is full of meetings every morning.",
     "No internal meetings on Wednesday mornings, company-wide.",
     "Time for the work that needs concentration.",
     "Workplace", "Operations", [], None, False),
    ("Mahnungen erst nach Rückruf",
     "Treue Kundinnen bekommen automatische Mahnungen, obwohl nur eine Rechnung verloren ging.",
     "Bei Stammkunden ruft die Buchhaltung vor der ersten Mahnung kurz an.",
     "Weniger verärgerte Stammkunden, schnellere Klärung.",
     "Customer service", "Finance", ["Customer Service"], 10, True),
    ("Trade fair leads straight into the CRM",
     "Business cards from trade fairs are typed in by hand, often weeks later.",
     "Scan the cards at the stand with the CRM app.",
     "Leads are followed up while they remember us.",
     "Tools & IT", "Sales", ["Marketing"], 20, True),
    ("Datenschutzfragen mit einer Checkliste klären",
     "Jede kleine Datenschutzfrage landet als Anfrage bei der Rechtsabteilung.",
     "Eine Checkliste für die häufigsten Fälle; die Rechtsabteilung nur für den Rest.",
     "Antworten in Minuten statt in Wochen.",
     "Red tape", "Legal", ["Marketing", "Customer Service"], 30, False),
    ("Shared van schedule for deliveries",
     "Two teams book the same delivery vans on paper lists and collide every week.",
     "One booking calendar for all vans.",
     "No more double bookings, fewer special trips.",
     "Process", "Logistics", ["Sales"], 15, False),
    ("Arbeitszeugnisse aus Bausteinen",
     "Ein Arbeitszeugnis dauert drei Wochen, weil jedes einzeln geschrieben wird.",
     "Geprüfte Textbausteine; die Führungskraft ergänzt nur das Persönliche.",
     "Zeugnisse in drei Tagen.",
     "Process", "Human Resources", ["Legal"], 20, False),
    ("Status page for IT outages",
     "When the mail server is down, the IT hotline gets 80 calls in ten minutes.",
     "A status page on the intranet that IT updates first.",
     "Fewer calls, everyone knows what is going on.",
     "Tools & IT", "IT", [], 25, False),
    ("Kostenstellen in Bestellungen vorausfüllen",
     "Bei jeder Bestellung suchen wir die Kostenstelle aus einer Excel-Liste heraus.",
     "Die Kostenstelle der Person ist vorausgefüllt.",
     "Weniger falsch gebuchte Bestellungen.",
     "Tools & IT", "Finance", [], 18, False),
    ("Customers choose their delivery day",
     "Parcels come back because nobody is home; we deliver again at our cost.",
     "Let customers pick a delivery day at checkout.",
     "Fewer failed deliveries, happier customers.",
     "Customer service", "Logistics", ["Sales", "IT"], 35, True),
    ("Dienstreisen ohne Vorab-Genehmigung im Inland",
     "Eine Bahnfahrt zum Kunden braucht eine Genehmigung, die zwei Tage dauert.",
     "Inlandsreisen mit der Bahn ohne Vorab-Genehmigung, Abrechnung wie bisher.",
     "Kundentermine kurzfristig möglich.",
     "Red tape", "Human Resources", ["Sales", "Finance"], 30, False),
    ("Social media answers by customer service",
     "Customer questions on social media wait for Marketing, who forward them to us.",
     "Customer service answers on social media directly, with Marketing's guidelines.",
     "Answers within an hour instead of two days.",
     "Customer service", "Marketing", ["Customer Service"], 20, True),
    ("Ersatzteile im Lager besser beschriften",
     "Wir suchen Ersatzteile oft eine halbe Stunde, weil die Fächer nicht beschriftet sind.",
     "Fächer mit Barcode und Bild beschriften, Bestand im System.",
     "Schnellere Reparaturen, weniger Doppelbestellungen.",
     "Workplace", "Operations", ["Logistics"], 20, False),
    ("Fewer mandatory fields in the ticket form",
     "The ticket form has 24 fields; agents fill the mandatory ones with dots.",
     "Keep six fields; the rest optional or filled automatically.",
     "Two minutes less per ticket and data that is true.",
     "Tools & IT", "Customer Service", ["IT"], 55, False),
    ("Rechnungsfreigabe nach Betrag staffeln",
     "Jede Eingangsrechnung, auch über 12 Euro, braucht zwei Unterschriften.",
     "Bis 500 Euro eine Unterschrift, darüber zwei.",
     "Rechnungen werden pünktlich bezahlt, Skonto wird genutzt.",
     "Red tape", "Finance", ["Operations"], 35, False),
    ("A quiet corner for phone calls in the sales office",
     "In the open-plan sales office customers hear three other calls behind ours.",
     "Two phone booths in the corner by the windows.",
     "Better calls, less noise for everyone.",
     "Workplace", "Sales", [], None, True),
    ("Newsletter-Abmeldung mit einem Klick",
     "Wer den Newsletter abbestellen will, muss sich einloggen und drei Seiten durchklicken.",
     "Ein Klick im Newsletter genügt.",
     "Weniger Beschwerden, rechtlich sicherer.",
     "Customer service", "Marketing", ["Legal", "IT"], 5, True),
    ("Training budget decided by the team",
     "Every training course, even a 90-euro webinar, needs HR and Finance approval.",
     "Each team gets a yearly training budget and decides itself.",
     "People learn what they need, when they need it.",
     "Red tape", "Human Resources", ["Finance"], 15, False),
]  # fmt: skip

# What people write under each other's ideas and what heads answer, in the idea's language:
# a German idea is discussed and decided in German, an English one in English.
MORE_COMMENTS = {
    "en": [
    "Same problem in our team, every week.",
    "We tried something similar last year; happy to share what we learnt.",
    "Good idea. Who would own this once it runs?",
    "This would save us hours, please!",
    "Could we try it for a month first and then decide?",
    "I'd add: the same applies to our suppliers.",
    "From our side no objections, as long as it is documented.",
    ],
    "de": [
    "Das betrifft uns auch, jede Woche.",
    "Gute Idee! Wer kümmert sich danach darum?",
    "Bei uns im Team wäre das eine große Erleichterung.",
    "Können wir das erst einmal einen Monat testen?",
    "Wir haben dafür schon eine Lösung im Einsatz, ich melde mich.",
    "Unbedingt. Das kostet uns seit Jahren Zeit.",
    "Aus unserer Sicht spricht nichts dagegen, wenn es dokumentiert ist.",
    ],
}  # fmt: skip

DECLINE_REASONS = {
    "en": [
        "Not this year: the budget for it is committed. We look at it again in the spring.",
        "Legal requirements leave us no room here; the reason is explained in the answer above.",
    ],
    "de": [
        "Das ist bereits im Projekt für das neue System eingeplant.",
        "Leider nicht möglich: Die Vorgabe kommt vom Konzern. Wir geben die Idee dort weiter.",
    ],
}

# The rest of an idea's story after submission, in its language. ``{proposal}``: its proposal.
STORY_TEXTS = {
    "en": {
        "ask_info": "Could you give an example of a recent case?",
        "withdraw": "Solved another way, thanks to everyone.",
        "estimate_cost": "Needs an outside vendor.",
        "promise": "We do it: {proposal}",
        "implement": "Done: {proposal}",
        "break_commitment": "A company-wide project replaces the system; we wait for it.",
    },
    "de": {
        "ask_info": "Können Sie ein Beispiel aus der letzten Zeit nennen?",
        "withdraw": "Hat sich anders gelöst, danke an alle.",
        "estimate_cost": "Dafür brauchen wir einen externen Dienstleister.",
        "promise": "Wir setzen es um: {proposal}",
        "implement": "Umgesetzt: {proposal}",
        "break_commitment": "Ein konzernweites Projekt ersetzt das System; wir warten darauf.",
    },
}

# Words that tell a German idea from an English one (the demo's texts are in one of the two).
_GERMAN_WORDS = frozenset({
    "für", "dem", "sich", "und", "mit", "wird", "nicht", "eine", "den", "der", "auf", "im", "ein",
    "nach", "wir", "das", "oder", "nur", "die", "pro", "zu", "einen", "uns", "ohne", "bei", "von",
    "werden", "statt", "ist", "erst",
})  # fmt: skip


def language_of(*texts: str) -> str:
    """``de`` or ``en``: the language most of the words belong to."""
    words = " ".join(texts).lower().replace(",", " ").replace(".", " ").split()
    german = sum(word in _GERMAN_WORDS for word in words)
    german += sum(any(c in word for c in "äöüß") for word in words)
    english = sum(
        word in {"the", "and", "is", "not", "with", "for", "of", "to", "a", "we", "our", "on"}
        for word in words
    )
    return "de" if german > english else "en"


OFFICIAL_ANSWERS = [
    "Thanks, we are looking at this and answer by the end of the month.",
    "Danke! Wir prüfen das mit den betroffenen Abteilungen.",
]


def _ascii(text: str) -> str:
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, plain)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _person(
    email: str, name: str, role: Role, department: Department, language: str | None,
    password_hash: str,
) -> User:  # fmt: skip
    user = User(
        email=email, display_name=name, department=department, role=role, language=language,
        password_hash=password_hash, active=True, session_version=0,
        created_at=now() - timedelta(days=400),
    )  # fmt: skip
    db.session.add(user)
    return user


def _more_people(
    departments: dict[str, Department], people: dict[str, User], rng: random.Random
) -> None:
    """The heads, leaders and staff beyond the hand-made people, into ``people``."""
    shared_hash = people["admin@freiraum.example"].password_hash

    def add(email: str, name: str, role: Role, department: str, language: str | None) -> User:
        user = _person(email, name, role, departments[department], language, shared_hash)
        people[email] = user
        return user

    for email, name, department, _language in MORE_HEADS:
        add(email, name, Role.HEAD, department, None).headed_departments = [departments[department]]
    for email, name, department, _language in MORE_LEADERS:
        add(email, name, Role.LEADER, department, None)

    names = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    taken = {user.display_name for user in people.values()}
    for department, size in TEAM_SIZES.items():
        present = sum(1 for u in people.values() if u.department is departments[department])
        for _ in range(size - present):
            first, last = names.pop()
            while f"{first} {last}" in taken:
                first, last = names.pop()
            taken.add(f"{first} {last}")
            email = f"{_ascii(first)}.{_ascii(last)}@freiraum.example".lower()
            # Most people leave the language to their browser; some choose one.
            language = rng.choice([None, None, "de", "de", "en"])
            add(email, f"{first} {last}", Role.EMPLOYEE, department, language)
    db.session.flush()


def _more_ideas(
    departments: dict[str, Department],
    categories: dict[str, Category],
    people: dict[str, User],
    rng: random.Random,
) -> None:
    """Half a year of ideas from everywhere, each with votes, comments and what happened."""
    staff = [u for u in people.values() if u.role in (Role.EMPLOYEE, Role.HEAD)]
    by_department: dict[str, list[User]] = {name: [] for name in departments}
    for user in staff:
        by_department[user.department.name].append(user)
    heads = {d.name: u for u in people.values() for d in u.headed_departments}
    leader = people["leader@freiraum.example"]
    moment = now()
    # Not everyone takes part: about two in three vote or comment, some much more than others.
    engaged = rng.sample(staff, round(len(staff) * 0.65))
    keen = engaged[: len(engaged) // 4]

    def at(idea: Idea, day: float) -> datetime | None:
        when = idea.created_at + timedelta(days=day, hours=rng.randint(1, 5))
        return when if when < moment - timedelta(hours=1) else None

    for index, row in enumerate(MORE_IDEAS):
        title, problem, proposal, benefit, category, owner, affected, hours, customer = row
        language = language_of(title, problem, proposal)
        days_ago = max(2, round(180 - index * 178 / len(MORE_IDEAS)) + rng.randint(-3, 3))
        home = by_department[owner] if rng.random() < 0.75 else staff
        author = rng.choice([u for u in home if u.role == Role.EMPLOYEE] or home)
        text = rules.IdeaText(
            title=title, problem=problem, proposal=proposal, benefit=benefit,
            category=categories[category], owning_department=departments[owner],
            affected_departments=[departments[d] for d in affected],
            hours_lost_per_month=hours, customer_facing=customer,
        )  # fmt: skip
        with travel_to(moment - timedelta(days=days_ago, hours=rng.randint(1, 8))):
            idea = rules.submit_idea(author, text, anonymous=rng.random() < 0.12)

        # Support: a few ideas draw many votes, most a handful, many across departments.
        crowd = rng.sample(engaged, min(len(engaged), 1 + int(rng.paretovariate(1.2) * 4)))
        # Colleagues of the same department are the first to support it.
        near = [u for u in engaged if u.department is departments[owner]]
        crowd += rng.sample(near, min(len(near), rng.randint(2, 8)))
        for voter in dict.fromkeys(crowd + rng.sample(keen, 3)):  # in order: same every run
            when = at(idea, rng.uniform(0, min(days_ago, 40)))
            if when and voter.id != author.id:
                with travel_to(when):
                    rules.set_vote(idea, voter, True)
        for _ in range(rng.choice([0, 1, 2, 2, 3, 3, 4, 5])):
            when = at(idea, rng.uniform(0.2, min(days_ago, 30)))
            if when:
                with travel_to(when):
                    rules.add_comment(
                        idea, rng.choice(engaged), rng.choice(MORE_COMMENTS[language])
                    )

        head = heads[owner]
        for day, action, details in _story(days_ago, rng):
            when = at(idea, day)
            if when is None:
                break
            with travel_to(when):
                _act_more(idea, action, author, head, leader, proposal, details, language)
    db.session.flush()


def _story(days_ago: int, rng: random.Random) -> list[tuple[float, str, dict]]:
    """What happened after submission, by age: recent ideas wait, older ones were decided and
    delivered (on time, late, or not), some wait too long: the overdue examples."""
    first = rng.choice([1, 2, 3, 4, 6, 9, 12])  # days to the first answer (7 is the clock)
    roll = rng.random()
    if days_ago < 12:
        return [] if roll < 0.5 else [(first, "acknowledge", {})]
    if roll < 0.08:
        return []  # nobody answered: overdue
    if roll < 0.14:
        return [(first, "ask_info", {})]
    if roll < 0.22 or days_ago < 25:
        return [(first, "acknowledge", {})]
    if roll < 0.34:
        return [(first, "acknowledge", {}), (first + 3, "decline", {})]
    if roll < 0.38:
        return [(first, "withdraw", {})]
    if roll < 0.46:  # above the department's budget: leadership decides, or still has to
        steps = [(first, "acknowledge", {}), (first + 2, "estimate_cost", {"amount": 12000})]
        if rng.random() < 0.5:
            steps.append((first + 9, "accept", {"by_leader": True, "due": 40, "cost": 12000}))
        return steps
    due = rng.choice([20, 30, 45])
    cost = rng.choice([0, 300, 800, 1500, 2500, 4000])
    steps = [(first, "acknowledge", {}), (first + 2, "accept", {"due": due, "cost": cost}),
             (first + 5, "start", {})]  # fmt: skip
    outcome = rng.random()
    if outcome < 0.65:
        steps.append((first + due * rng.uniform(0.5, 1.4), "implement", {}))  # on time or late
    elif outcome < 0.75:
        steps.append((first + due * 0.8, "break_commitment", {}))
    return steps  # else still being delivered, perhaps past its due date


def _act_more(
    idea: Idea,
    action: str,
    author: User,
    head: User,
    leader: User,
    proposal: str,
    details: dict,
    language: str,
) -> None:
    words = STORY_TEXTS[language]
    if action == "ask_info":
        lifecycle.transition(idea, action, head, words["ask_info"])
    elif action == "decline":
        reason = random.Random(idea.id).choice(DECLINE_REASONS[language])
        lifecycle.transition(idea, action, head, reason)
    elif action == "withdraw":
        lifecycle.transition(idea, action, author, words["withdraw"])
    elif action == "estimate_cost":
        lifecycle.estimate_cost(idea, head, Decimal(details["amount"]), words["estimate_cost"])
    elif action == "accept":
        actor = leader if details.get("by_leader") else head
        lifecycle.accept(
            idea, actor, owner=actor, promise=words["promise"].format(proposal=proposal),
            due_on=local_date(now() + timedelta(days=details["due"])),
            estimated_cost=Decimal(details["cost"]),
        )  # fmt: skip
    elif action == "implement":
        lifecycle.implement(idea, head, change_summary=words["implement"].format(proposal=proposal))
    elif action == "break_commitment":
        lifecycle.break_commitment(idea, head, words["break_commitment"])
    else:
        lifecycle.transition(idea, action, head)


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
    for email, name, department, _language in MORE_HEADS:
        lines.append(f"  {'head':<9} {email:<34} {name} ({department})")
    more = sum(TEAM_SIZES.values()) - 6 - len(MORE_HEADS)  # everyone belongs to a team
    lines.append(f"  ...and {more} more people, listed under Admin > Users.")
    return "\n".join(lines)


__all__ = ["IDEAS", "MORE_IDEAS", "PASSWORD", "PEOPLE", "empty", "load", "logins_text"]
