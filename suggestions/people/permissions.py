"""Who may import, erase and export people's data (registered with the one policy)."""

from __future__ import annotations

from ..auth.models import Role

RULES = {
    "people.import": lambda user, _: user.role == Role.ADMIN,
    # Erasing is for admins, never of themselves (people.erasure checks that with a message).
    "people.erase": lambda user, person: user.role == Role.ADMIN,
    # Everyone takes away their own data, and only their own.
    "people.export_own": lambda user, _: True,
}
