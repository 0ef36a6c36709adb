"""User-written text: markdown rendered with raw HTML off, then cleaned by an allow-list."""

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


def render_markdown(source: str | None) -> Markup:
    source = source or ""
    if len(source) > CACHE_MAX_LENGTH:
        return _render(source)
    return _render_cached(source)


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
