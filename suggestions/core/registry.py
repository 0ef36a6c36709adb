"""Extension points. A lower package names a point and reads it; a higher package adds to it
in its ``init_app``. Kept on the app, so two apps in one process never share contributions and
nothing changes another module's globals at import time.

The points in use (the reader is named; see DESIGN.md "Architecture"):

- ``idea_page.context``: callables ``idea -> dict`` of template variables (ideas.views).
- ``idea_page.columns``: ``(column(viewer), told(idea, viewer, value))`` pairs: a column read
  with the idea page's own row (correlated with ``Idea``), then handed to ``told`` for this
  request, instead of a statement of its own (ideas.queries.get_idea_and_vote_or_404).
- ``idea_page.side``: template names included in the idea page's side column, in order.
- ``idea_page.main``: template names included under the idea's text, before the discussion.
- ``idea_page.comment``: template names, each defining a macro ``comment_part(comment, may,
  token)`` drawn under each comment; imported once per page of comments (with the page's
  context, so what is the same for every comment is worked out once), e.g. governance's report
  link and the author's way back from moderation (ideas/_comments.html). What it draws is kept
  (ideas.comment_fragments): it reads the viewer's permissions from ``may`` only and puts
  ``token`` in its forms.
- ``idea_page.comment_asks``: policy action names asked about each comment, and
  ``idea_page.viewer_asks``: asked once per page without an object; the answers are handed to
  the comment's macros in ``may`` (and are part of the kept fragment's key).
- ``admin_user_page.parts``: template names included on an admin's page of one account
  (``user`` in scope), e.g. governance's moderator flag (auth's admin/user_form.html).
- ``idea_list.filters``: ``(name, condition factory)`` pairs for list filters whose rule lives
  in a higher package (ideas.queries).
- ``idea_list.page``: callables ``ideas -> None`` told of the ideas of a list page before it
  is drawn, to read what their rows need in one query (ideas.views).
- ``idea_list.clock``: a callable ``() -> (idea -> clock)``, the clock of a page's cards with
  its settings read once per page; the card shows its overdue badge (ideas.cards).
- ``worker.jobs``: ``core.jobs.Job`` items (name, how often, ``run(now)``) the worker runs
  on their schedule, each turn once however many workers run (notify.worker).
- ``idea_form.fields``: template names included in the idea form, after the departments.
- ``idea_form.saved``: callables ``(idea, form) -> None`` run after an idea is submitted or
  edited, in its transaction; may raise ``DomainError`` (shown on the form) (ideas.views).
- ``dashboard.sections``: callables ``scope -> (template name, dict)`` of parts drawn under
  the dashboard's figures (insights.views).
- ``engine.created``: callables ``engine -> None`` told of every extra engine a package opens.
- ``readiness.checks``: ``(name, check)`` pairs, ``check() -> dict`` with an ``"ok"`` key, run by
  ``/readyz`` after the database answered (web.pages).

Permission rules are not an extension point here: a package registers them with
``policy.register`` (the policy is one table for all apps in the process, since rules are code).
- ``person.erase``: callables ``(user) -> None`` run by people.erasure inside the erasing
  transaction, before the account row is wiped (``user`` still has its name and email): a
  package that keeps its own rows about people (an audit log, notes) removes or unnames them.
- ``person.export``: callables ``user -> dict[str, object]`` (file name -> JSON content) that
  add a package's own rows about the person to their personal-data download (people).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

_KEY = "freiraum.extension_points"


def contribute(app: Flask, point: str, item: Any) -> None:
    app.extensions.setdefault(_KEY, {}).setdefault(point, []).append(item)


def contributions(point: str, app: Flask | None = None) -> list[Any]:
    app = app or current_app
    return app.extensions.get(_KEY, {}).get(point, [])
