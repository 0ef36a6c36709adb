"""Rendered fragments kept per process, keyed by everything they show.

A fragment's key must hold every value its HTML depends on (the row it draws, the viewer's
own state, the language, the day for relative dates): a changed value is a different key, so
nothing is ever invalidated and no viewer can be shown another's fragment. Old keys fall out
of the bounded store, least recently used first. Kept on the app, so two apps in one process
never share fragments.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

from flask import Flask, current_app

T = TypeVar("T")

_KEY = "freiraum.fragments"

# Stands in a kept fragment for what differs per request (the CSRF token, the page's address):
# drawn with it, the fragment is filled in by each page. Random per process and with NUL bytes
# (refused in every input), so nothing a person wrote can hold it.
SLOT = f"\x00{secrets.token_hex(8)}\x00"
DEFAULT_SIZE = 4096


class Fragments:
    """A bounded store of rendered values; ``get(key, render)`` renders only on a miss."""

    def __init__(self, size: int = DEFAULT_SIZE):
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable, render: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[return-value]
        value = render()  # outside the lock: two threads may render the same key once each
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def fragments(name: str, app: Flask | None = None) -> Fragments:
    """The app's store called ``name`` (one per kind of fragment), made on first use with
    ``FRAGMENT_CACHE_SIZE`` entries (0 turns keeping off: every fragment is rendered)."""
    app = app or current_app
    stores = app.extensions.setdefault(_KEY, {})
    store = stores.get(name)
    if store is None:
        store = stores.setdefault(name, Fragments(app.config["FRAGMENT_CACHE_SIZE"]))
    return store
