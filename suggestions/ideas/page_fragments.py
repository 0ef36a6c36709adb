"""Parts of the idea page that are the same for every reader of the same state, drawn once and
kept (``core.cache``), keyed by all they show.

The timeline is drawn from its events alone: who did what (as ``authorship`` shows them, which
never depends on the reader), when, the status, note, department, amount and linked idea, in
the page's language and time zone. A new event, a changed name or another language is another
key, never a stale timeline.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import get_template_attribute, request
from flask_babel import get_timezone
from markupsafe import Markup

from ..core.cache import fragments
from ..web.templating import locale
from .authorship import event_actor_label
from .models import Idea, IdeaEvent


def kept_timeline(idea: Idea, events: Sequence[IdeaEvent]) -> Markup:
    key = (
        locale(), str(get_timezone()), request.script_root, idea.id,
        tuple(
            (e.id, e.kind, e.created_at, e.to_status, e.note,
             e.department.name if e.department else None, e.amount, e.related_idea_id,
             event_actor_label(e, idea))
            for e in events
        ),
    )  # fmt: skip

    def draw() -> Markup:
        return get_template_attribute("ideas/_timeline.html", "timeline")(idea, events)

    return fragments("timelines").get(key, draw)
