"""full-text search index over ideas and their comments

SQLite: an FTS5 table of Python-made stems (German or English, SEARCH_LANGUAGE).
PostgreSQL: a table with a weighted tsvector per idea (GIN index) and a small one of title and
text for ranking.
Both are filled from the existing ideas and comments.

Revision ID: 0003_search
Revises: 0004_notify
Create Date: 2026-11-25 10:00:00.000000

"""
import re
import unicodedata

import sqlalchemy as sa
from alembic import op
from flask import current_app, has_app_context


# revision identifiers, used by Alembic.
revision = '0003_search'
down_revision = '0004_notify'
branch_labels = None
depends_on = None

# A frozen copy of what filling the index took at this revision (suggestions.ideas.search and
# .words then), so that later changes to the live code cannot change what this migration does.
# It differs in one way only: stop words are stemmed and stored too. Queries never ask for
# them, so they find the same ideas; `flask rebuild-search-index` makes the index exactly as
# the running version builds it.
FIELD_CHARS = 20_000
COMMENT_CHARS = 100_000
BATCH = 500
LANGUAGES = {'de': 'german', 'en': 'english'}
_WORD = re.compile(r'[^\W_]+')
_COMBINING = re.compile('[\u0300-\u036f]')


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute(
            'CREATE TABLE idea_search ('
            ' idea_id INTEGER NOT NULL,'
            ' document TSVECTOR NOT NULL,'  # title (weight A), text (B), comments (D)
            ' rank_document TSVECTOR NOT NULL,'  # title and text again: small, cheap to rank
            ' comment_chars INTEGER NOT NULL DEFAULT 0,'
            ' CONSTRAINT pk_idea_search PRIMARY KEY (idea_id),'
            ' CONSTRAINT fk_idea_search_idea_id_ideas FOREIGN KEY (idea_id)'
            '  REFERENCES ideas (id) ON DELETE CASCADE)'
        )
        op.execute('CREATE INDEX ix_idea_search_document ON idea_search USING GIN (document)')
    else:
        # rowid = ideas.id. The "ascii" tokenizer only splits: stems arrive made in Python.
        op.execute(
            "CREATE VIRTUAL TABLE idea_search USING fts5("
            "title, body, comments, comment_chars UNINDEXED, tokenize = 'ascii')"
        )
    language = current_app.config['SEARCH_LANGUAGE'] if has_app_context() else 'en'
    _fill(bind, language)


def downgrade():
    op.execute('DROP TABLE idea_search')


def _fill(bind, language):
    """Index every existing idea (title, text, comments up to their budget), in batches."""
    write = _write_postgres if bind.dialect.name == 'postgresql' else _write_sqlite
    last_id = 0
    while True:
        ideas = bind.execute(
            sa.text(
                'SELECT id, title, problem, proposal, benefit FROM ideas WHERE id > :last '
                'ORDER BY id LIMIT :batch'
            ),
            {'last': last_id, 'batch': BATCH},
        ).all()
        if not ideas:
            return
        last_id = ideas[-1].id
        comments = {i.id: [] for i in ideas}
        used = dict.fromkeys(comments, 0)
        rows = bind.execute(
            sa.text(
                'SELECT idea_id, body FROM comments WHERE idea_id IN :ids ORDER BY idea_id, id'
            ).bindparams(sa.bindparam('ids', expanding=True)),
            {'ids': list(comments)},
        )
        for idea_id, body in rows:
            room = COMMENT_CHARS - used[idea_id]
            if room > 0:
                piece = (body or '')[:room]
                comments[idea_id].append(piece)
                used[idea_id] += len(piece)
        write(bind, [
            {
                'id': i.id,
                'title': i.title[:FIELD_CHARS],
                'body': '\n'.join((part or '')[:FIELD_CHARS]
                                  for part in (i.problem, i.proposal, i.benefit)),
                'comments': '\n'.join(comments[i.id]),
                'chars': used[i.id],
            }
            for i in ideas
        ], language)


def _write_sqlite(bind, rows, language):
    import snowballstemmer

    stemmer = snowballstemmer.stemmer(LANGUAGES[language])

    def stems(text):
        words = _WORD.findall(unicodedata.normalize('NFKC', text or '').casefold())
        return ' '.join(_fold(stemmer.stemWord(word)) for word in words)

    bind.execute(
        sa.text(
            'INSERT INTO idea_search (rowid, title, body, comments, comment_chars) '
            'VALUES (:id, :title, :body, :comments, :chars)'
        ),
        [
            {'id': r['id'], 'title': stems(r['title']), 'body': stems(r['body']),
             'comments': stems(r['comments']), 'chars': r['chars']}
            for r in rows
        ],
    )


def _fold(text):
    return unicodedata.normalize('NFC', _COMBINING.sub('', unicodedata.normalize('NFD', text)))


def _write_postgres(bind, rows, language):
    idea = (
        "setweight(to_tsvector(CAST(:cfg AS regconfig), :title), 'A') || "
        "setweight(to_tsvector(CAST(:cfg AS regconfig), :body), 'B')"
    )
    comments = "setweight(to_tsvector(CAST(:cfg AS regconfig), :comments), 'D')"
    bind.execute(
        sa.text(
            'INSERT INTO idea_search (idea_id, document, rank_document, comment_chars) '
            'SELECT :id, idea || comments, idea, :chars '
            f'FROM (SELECT {idea} AS idea, {comments} AS comments) v'
        ),
        [dict(r, cfg=LANGUAGES[language]) for r in rows],
    )
