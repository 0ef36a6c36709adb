"""full-text search index over ideas and their comments

SQLite: an FTS5 table of Python-made stems (German or English, SEARCH_LANGUAGE).
PostgreSQL: a table with a weighted tsvector per idea (GIN index) and a small one of title and
text for ranking.
Both are filled from the existing ideas and comments.

Revision ID: 0003_search
Revises: 0004_notify
Create Date: 2026-11-25 10:00:00.000000

"""
from alembic import op
from flask import current_app, has_app_context


# revision identifiers, used by Alembic.
revision = '0003_search'
down_revision = '0004_notify'
branch_labels = None
depends_on = None


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

    from suggestions.ideas.search import rebuild_index

    language = current_app.config['SEARCH_LANGUAGE'] if has_app_context() else 'en'
    rebuild_index(bind, language, moderated=False)  # no moderation columns at this revision


def downgrade():
    op.execute('DROP TABLE idea_search')
