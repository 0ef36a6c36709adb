"""Password hashing with argon2id. Older Werkzeug hashes still verify and are upgraded."""

from __future__ import annotations

import contextlib
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from werkzeug.security import check_password_hash

_LEGACY_PREFIXES = ("scrypt:", "pbkdf2:")


@cache
def _hasher(time_cost: int, memory_cost: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost)


def hasher() -> PasswordHasher:
    config = current_app.config
    return _hasher(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"])


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored:
        # Same work as a real check, so timing does not tell whether an account exists.
        _burn(password)
        return False
    if stored.startswith(_LEGACY_PREFIXES):
        return check_password_hash(stored, password)
    try:
        return hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return stored.startswith(_LEGACY_PREFIXES) or hasher().check_needs_rehash(stored)


@cache
def _dummy_hash_for(time_cost: int, memory_cost: int) -> str:
    return _hasher(time_cost, memory_cost).hash("not a real password")


def _burn(password: str) -> None:
    config = current_app.config
    params = (config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"])
    with contextlib.suppress(VerificationError, InvalidHashError):
        _hasher(*params).verify(_dummy_hash_for(*params), password)
