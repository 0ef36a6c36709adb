"""Keeping the index in step: inside the transaction that changes an idea or comment (a
listener on the app's session, registered by ``init_app``), and on request for changes the
listener cannot see (``reindex_idea``, ``remove_from_index``) or for everything
(``rebuild_index``: the command line)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask import Flask
from sqlalchemy import Connection, event, inspect, select
from sqlalchemy.orm import Session

from ...core.extensions import db
from ..models import Comment, Idea
from . import limits
from .backends import IndexRow, backend
from .query import language

# Comment attributes that do not change what is indexed (no reindex when only they change).
_COMMENT_ATTRS_NOT_INDEXED = frozenset({"is_official", "official_marked_by_id", "author_id"})
_IDEA_ATTRS_INDEXED = ("title", "problem", "proposal", "benefit", "hidden_reason")


def _rows(conn: Connection, idea_ids: Sequence[int]) -> list[IndexRow]:
    """The index entries of these ideas, read from the database as it is now."""
    if not idea_ids:
        return []
    ideas = conn.execute(
        select(Idea.id, Idea.title, Idea.problem, Idea.proposal, Idea.benefit)
        .where(Idea.id.in_(idea_ids), Idea.hidden_reason.is_(None))  # hidden: not indexed
        .order_by(Idea.id)
    ).all()
    comments: dict[int, list[str]] = {i.id: [] for i in ideas}
    used: dict[int, int] = dict.fromkeys(comments, 0)
    stream = conn.execute(
        select(Comment.idea_id, Comment.body)
        .where(Comment.idea_id.in_(list(comments)), Comment.hidden_reason.is_(None))
        .order_by(Comment.idea_id, Comment.id)
        .execution_options(yield_per=500)
    )
    for idea_id, body in stream:
        room = limits.COMMENT_CHARS - used[idea_id]
        if room > 0:
            piece = (body or "")[:room]
            comments[idea_id].append(piece)
            used[idea_id] += len(piece)
    return [
        IndexRow(
            idea_id=i.id,
            title=i.title[: limits.FIELD_CHARS],
            text="\n".join(
                part[: limits.FIELD_CHARS] for part in (i.problem, i.proposal, i.benefit)
            ),
            comments="\n".join(comments[i.id]),
            comment_chars=used[i.id],
        )
        for i in ideas
    ]


def _reindex_ids(conn: Connection, idea_ids: Sequence[int], lang: str) -> None:
    store = backend(conn)
    rows = _rows(conn, list(idea_ids))
    gone = set(idea_ids) - {r.idea_id for r in rows}
    store.delete(conn, sorted(gone))
    store.write(conn, rows, lang)


def reindex_idea(idea: Idea) -> None:
    """Index the idea as it now is (title, text, comments), in the current transaction.

    For changes the automatic listener cannot see: raw SQL updates, comments moved or hidden
    by a merge or by moderation."""
    db.session.flush()
    _reindex_ids(db.session.connection(), [idea.id], language())


def remove_from_index(idea: Idea) -> None:
    """Take the idea out of search (e.g. hidden by moderation), in the current transaction.
    Comments posted afterwards do not bring it back; ``reindex_idea`` does."""
    db.session.flush()
    conn = db.session.connection()
    backend(conn).delete(conn, [idea.id])


def rebuild_index(conn: Connection, lang: str, *, batch_size: int = 500, commit=None) -> int:
    """Index every idea again, in batches of ``batch_size`` ideas. Each batch replaces its own
    rows, so searches keep finding everything while it runs. ``commit`` (optional) is called
    after each batch, to keep write locks short. Returns the number of ideas indexed."""
    store = backend(conn)
    store.remove_stale(conn)
    done, last_id = 0, 0
    while True:
        ids = list(
            conn.scalars(
                select(Idea.id).where(Idea.id > last_id).order_by(Idea.id).limit(batch_size)
            )
        )
        if not ids:
            return done
        store.write(conn, _rows(conn, ids), lang)
        done, last_id = done + len(ids), ids[-1]
        if commit is not None:
            commit()


def init_app(app: Flask) -> None:
    """Keep the index in step with every flush of the app's session (``db.session``), not
    with every Session in the process (a script's own session, another library's)."""
    if not event.contains(db.session, "after_flush", _keep_index_in_step):
        event.listen(db.session, "after_flush", _keep_index_in_step)


def _keep_index_in_step(session: Session, _flush_context) -> None:
    """Same transaction as the change: a rolled-back edit leaves the index as it was."""
    reindex: set[int] = set()
    removed: set[int] = set()
    new_comments: list[Comment] = []
    for obj in session.new:
        if isinstance(obj, Idea):
            reindex.add(obj.id)
        elif isinstance(obj, Comment):
            new_comments.append(obj)
    for obj in session.dirty:
        if isinstance(obj, Idea) and _changed(obj, _IDEA_ATTRS_INDEXED):
            reindex.add(obj.id)
        elif isinstance(obj, Comment):
            state = inspect(obj)
            changed = [
                a.key for a in state.mapper.column_attrs
                if a.key not in _COMMENT_ATTRS_NOT_INDEXED
                and state.attrs[a.key].history.has_changes()
            ]  # fmt: skip
            if changed:
                reindex.add(obj.idea_id)
                reindex.update(i for i in state.attrs.idea_id.history.deleted if i)
    for obj in session.deleted:
        if isinstance(obj, Idea):
            removed.add(obj.id)
        elif isinstance(obj, Comment):
            reindex.add(obj.idea_id)
    if not (reindex or removed or new_comments):
        return
    conn = session.connection()
    store = backend(conn)
    lang = language()
    reindex -= removed
    if removed:
        store.delete(conn, sorted(removed))
    if reindex:
        _reindex_ids(conn, sorted(reindex), lang)
    for comment in new_comments:
        if comment.idea_id not in reindex and comment.idea_id not in removed:
            store.append_comment(conn, comment.idea_id, comment.body or "", lang)


def _changed(obj, keys: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[key].history.has_changes() for key in keys)
