"""The session cookie, signed and sent again only when it changed or has aged.

Flask signs and sends a permanent session's cookie with every response, so that the session
ends ``PERMANENT_SESSION_LIFETIME`` after the last request: a third of a millisecond of every
request, for a cookie that says what it said before. Here it is sent again when its content
changed or when it was signed more than ``SESSION_REFRESH_SECONDS`` ago. The session still
ends a lifetime after the last request, at most that many seconds sooner.
"""

from __future__ import annotations

import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature


class AgedSessionCookies(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at.timestamp()
        return session

    def should_set_cookie(self, app: Flask, session: SecureCookieSession) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        # The signature's own clock (real time), not core.clock's: travelling tests move that.
        age = time.time() - signed_at if signed_at is not None else None
        return age is None or age >= app.config["SESSION_REFRESH_SECONDS"]
