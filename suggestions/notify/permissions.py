"""Who opens a notification and who hears a department's news."""

from __future__ import annotations

from ..workflow.permissions import works_a_queue

RULES = {
    "notification.open": lambda user, notification: notification.user_id == user.id,
    # News of a department's queue goes to those who work that queue.
    "notify.department_news": works_a_queue,
}
