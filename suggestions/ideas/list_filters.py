"""The list's search box and filter form, kept drawn.

The form lists every department and category and marks the filter's values: drawn for every
list page it cost about as much as the twenty kept cards. It holds no CSRF token (it is sent
by GET) and nothing of the viewer but the filter in the address, so it is kept per process
(``core.cache``) under the language, the script root (its links), the stamp the department
and category choices are kept under (``core.kept``: triggers move it with every change to
either table) and the filter's values. A changed name or a new department moves the stamp,
and so the key. A search's form is drawn each time: every typed text would be a key of its
own, each holding a copy of the whole form.
"""

from __future__ import annotations

from flask import current_app, request
from markupsafe import Markup

from ..core.cache import fragments
from ..core.extensions import db
from ..core.kept import stamp
from ..org.queries import category_choices, department_choices
from ..web.templating import locale
from .queries import IdeaFilter


def kept_filters(current: IdeaFilter) -> Markup:
    """The ``list_filters`` macro's HTML (templates/ideas/_filters.html), drawn once per key."""
    db.session.flush()  # as the choices: this request's own new rows move the stamp first
    version = stamp()
    # No stamp row (a database emptied by hand): nothing is kept.
    if version is None or current.q:
        return _draw(current)
    key = (
        locale(),
        request.script_root,
        version,
        current.sort,
        current.status,
        current.department_id,
        current.category_id,
        current.mine,
        current.overdue,
    )
    return fragments("list filters").get(key, lambda: _draw(current))


def _draw(current: IdeaFilter) -> Markup:
    macro = current_app.jinja_env.get_template("ideas/_filters.html").module.list_filters
    return Markup(str(macro(current, department_choices(), category_choices())))
