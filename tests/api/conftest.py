"""Fixtures for the JSON API: a token of every role and a client that sends it."""

from __future__ import annotations

import pytest
from flask.globals import _cv_app

from suggestions.auth import tokens
from suggestions.core.extensions import db


class Api:
    """A script using the API: sends its token, never a cookie."""

    def __init__(self, app, secret: str | None):
        self.client = app.test_client(use_cookies=False)
        self.secret = secret

    def open(self, method: str, url: str, *, json=None, headers=None, **kwargs):
        db.session.commit()
        headers = dict(headers or {})
        if self.secret:
            headers.setdefault("Authorization", f"Bearer {self.secret}")
        token = _cv_app.set(None)  # a request of its own, as a real client's would be
        try:
            return self.client.open(
                "/api/v1" + url, method=method, json=json, headers=headers, **kwargs
            )
        finally:
            _cv_app.reset(token)

    def get(self, url, **kw):
        return self.open("GET", url, **kw)

    def post(self, url, json=None, **kw):
        return self.open("POST", url, json=json, **kw)

    def put(self, url, **kw):
        return self.open("PUT", url, **kw)

    def patch(self, url, json=None, **kw):
        return self.open("PATCH", url, json=json, **kw)

    def delete(self, url, **kw):
        return self.open("DELETE", url, **kw)


def make_token(user, scope="write", **kw) -> str:
    _token, secret = tokens.create_token(
        user, name=kw.pop("name", "script"), scope=scope, expires_in_days=kw.pop("days", 30)
    )
    db.session.commit()
    return secret


@pytest.fixture
def api_for(app):
    """``api_for(user, scope="write")``: a client with a new token of that person."""
    return lambda user, scope="write": Api(app, make_token(user, scope))


@pytest.fixture
def anonymous_api(app):
    return Api(app, None)
