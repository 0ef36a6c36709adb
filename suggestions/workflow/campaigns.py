"""Campaigns: leadership asks a question with a deadline ("Which approval step could we
drop?"), optionally of some departments only. A campaign has its own page with its ideas and
counts; after the deadline, its results (accepted, declined, implemented). Ideas are filed into
an open campaign from its page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _
from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, String, Table, Text, func, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from ..auth.models import User
from ..core.clock import now
from ..core.errors import DomainError
from ..core.extensions import db
from ..ideas.models import Idea, IdeaStatus
from ..org.models import Department
from ..policy import require

campaign_departments = Table(
    "campaign_departments",
    db.metadata,
    Column("campaign_id", ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(db.Model):
    __tablename__ = "campaigns"
    __table_args__ = (Index("ix_campaigns_deadline", "deadline", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date)  # the last day ideas are taken
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    departments: Mapped[list[Department]] = relationship(
        secondary=campaign_departments, order_by="Department.name"
    )
    created_by: Mapped[User | None] = relationship()

    def is_open(self, today: date | None = None) -> bool:
        return (today or now().date()) <= self.deadline


class CampaignIdea(db.Model):
    """An idea filed into a campaign (at most one campaign per idea)."""

    __tablename__ = "campaign_ideas"
    __table_args__ = (Index("ix_campaign_ideas_campaign", "campaign_id", "idea_id"),)

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True
    )
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))


def create_campaign(
    actor: User,
    *,
    question: str,
    deadline: date,
    description: str | None = None,
    departments: list[Department] | None = None,
) -> Campaign:
    require(actor, "campaign.create")
    question = (question or "").strip()
    if not question:
        raise DomainError(_("Please ask a question."))
    if deadline < now().date():
        raise DomainError(_("The deadline cannot be in the past."))
    campaign = Campaign(
        question=question,
        description=(description or "").strip() or None,
        deadline=deadline,
        created_by_id=actor.id,
        created_at=now(),
        departments=list(departments or []),
    )
    db.session.add(campaign)
    db.session.flush()
    return campaign


def file_idea(campaign: Campaign, idea: Idea, author: User) -> None:
    """Put a new idea into the campaign (in the transaction that submits it)."""
    require(author, "campaign.file_idea", campaign)
    db.session.add(CampaignIdea(idea_id=idea.id, campaign_id=campaign.id))
    db.session.flush()


def campaign_of(idea: Idea) -> Campaign | None:
    query = select(Campaign).join(CampaignIdea).where(CampaignIdea.idea_id == idea.id)
    return db.session.scalars(query).first()


def list_campaigns(limit: int = 200) -> tuple[list[Campaign], list[Campaign]]:
    """(open, closed): open ones by deadline, the closed ones newest first."""
    today = now().date()
    base = select(Campaign).options(joinedload(Campaign.departments))
    opened = base.where(Campaign.deadline >= today).order_by(Campaign.deadline, Campaign.id)
    closed = base.where(Campaign.deadline < today).order_by(
        Campaign.deadline.desc(), Campaign.id.desc()
    )
    return (
        list(db.session.scalars(opened.limit(limit)).unique()),
        list(db.session.scalars(closed.limit(limit)).unique()),
    )


# What the results say: what was promised, what is live, what was declined.
RESULT_GROUPS = {
    "accepted": (IdeaStatus.ACCEPTED, IdeaStatus.IN_PROGRESS),
    "implemented": (IdeaStatus.IMPLEMENTED,),
    "declined": (IdeaStatus.DECLINED,),
}


@dataclass
class CampaignPage:
    counts: dict[str, int]  # status -> ideas
    total: int
    ideas: list[Idea]  # the most supported first, bounded
    results: dict[str, list[Idea]]  # after the deadline: group -> ideas


PAGE = 50


def campaign_page(campaign: Campaign) -> CampaignPage:
    """The campaign's figures and ideas in three bounded queries."""
    in_campaign = select(CampaignIdea.idea_id).where(CampaignIdea.campaign_id == campaign.id)
    counts = dict(
        db.session.execute(
            select(Idea.status, func.count()).where(Idea.id.in_(in_campaign)).group_by(Idea.status)
        ).all()
    )
    query = (
        select(Idea)
        .where(Idea.id.in_(in_campaign), Idea.status.not_in([IdeaStatus.WITHDRAWN]))
        .options(joinedload(Idea.owning_department))
        .order_by(Idea.vote_count.desc(), Idea.id)
    )
    ideas = list(db.session.scalars(query.limit(PAGE)))
    results: dict[str, list[Idea]] = {}
    if not campaign.is_open():
        decided = [s for group in RESULT_GROUPS.values() for s in group]
        rows = db.session.scalars(query.where(Idea.status.in_(decided)).limit(PAGE * 3)).all()
        for group, statuses in RESULT_GROUPS.items():
            results[group] = [idea for idea in rows if idea.status in statuses]
    return CampaignPage(counts, sum(counts.values()), ideas, results)
