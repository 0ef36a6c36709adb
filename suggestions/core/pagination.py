"""Bounded pagination for admin lists and similar pages."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import Select, func, select

from .extensions import db


@dataclass
class Page:
    items: list
    page: int
    pages: int
    total: int


def paginate(query: Select, page: int, per_page: int = 50) -> Page:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, math.ceil(total / per_page))
    page = max(1, min(page, pages))
    items = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, pages=pages, total=total)
