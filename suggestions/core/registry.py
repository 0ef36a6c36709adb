"""Extension points. A lower package names a point and reads it; a higher package adds to it
in its ``init_app``. Kept on the app, so two apps in one process never share contributions and
nothing changes another module's globals at import time.

The points in use (the reader is named; see DESIGN.md "Architecture"):

- ``idea_page.context``: callables ``idea -> dict`` of template variables (ideas.views).
- ``idea_page.side``: template names included in the idea page's side column, in order.
- ``idea_page.main``: template names included under the idea's text, before the discussion.
- ``idea_page.comment``: template names included under each comment (``comment`` in scope),
  e.g. governance's report link and the author's way back from moderation.
- ``admin_user_page.parts``: template names included on an admin's page of one account
  (``user`` in scope), e.g. governance's moderator flag (auth's admin/user_form.html).
- ``idea_list.filters``: ``(name, condition factory)`` pairs for list filters whose rule lives
  in a higher package (ideas.queries).
- ``engine.created``: callables ``engine -> None`` told of every extra engine a package opens.
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
