"""Domain errors. Views turn them into a form error, a flash message or an error page."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the product refused the action; ``message`` is shown to the person."""

    def __init__(self, message: str):
        super().__init__(str(message))
        self.message = message


class NotAllowed(Exception):
    """The permission policy said no. Rendered as a 403 page, never as a form error: the
    page offered no such action, so the request did not come from an honest form."""

    def __init__(self, message: str):
        super().__init__(str(message))
        self.message = message
