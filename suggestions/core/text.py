"""User-written text: markdown rendered with raw HTML off, then cleaned by an allow-list.

An idea's texts and a comment's body are rendered once, when written (``stored_markdown``), and
the cleaned HTML is stored beside the source; pages show the stored HTML and render only rows
that have none. A change to the rules below therefore needs a migration that empties the stored
HTML (NULL), so those rows are rendered with the new rules again.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# js-default: CommonMark without raw HTML and with link validation (no javascript: URLs).
_markdown = MarkdownIt("js-default", {"linkify": False, "breaks": True}).enable("table")

_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}


# Rendering is a pure function of the text, and the same texts are shown again and again (an
# idea page with 50 comments renders 53 of them per view): recent results are remembered per
# process. Very long texts are rendered each time rather than kept.
CACHE_SIZE = 4096
CACHE_MAX_LENGTH = 20_000


def render_markdown(source: str | None, stored: str | None = None) -> Markup:
    """The text as cleaned HTML; ``stored``: the HTML ``stored_markdown`` made of this source
    when it was written (used as it is; None: rendered now)."""
    if stored is not None:
        return Markup(stored)  # noqa: S704 - cleaned by nh3 when written
    source = source or ""
    if len(source) > CACHE_MAX_LENGTH:
        return _render(source)
    return _render_cached(source)


def stored_markdown(source: str | None) -> str | None:
    """The cleaned HTML to store with a text when it is written (None for no text): the one
    function every writer of a stored text goes through."""
    return None if source is None else str(render_markdown(source))


@lru_cache(maxsize=CACHE_SIZE)
def _render_cached(source: str) -> Markup:
    return _render(source)


def _render(source: str) -> Markup:
    html = _markdown.render(source)
    # Headings start at h3: an idea's text must not outrank the page's own headings.
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - cleaned by nh3 above
