"""The fragment store renders on a miss only, keeps at most its size, and is the app's own."""

from flask import Flask

from suggestions.core.cache import Fragments, fragments


def test_a_kept_fragment_is_not_rendered_again():
    store = Fragments(size=8)
    calls = []

    def render():
        calls.append(1)
        return "<li>one</li>"

    assert store.get(("card", 1), render) == "<li>one</li>"
    assert store.get(("card", 1), render) == "<li>one</li>"
    assert len(calls) == 1


def test_the_least_recently_used_fragment_falls_out_first():
    store = Fragments(size=2)
    store.get("a", lambda: "A")
    store.get("b", lambda: "B")
    store.get("a", lambda: "not rendered")  # "a" is now the most recent
    store.get("c", lambda: "C")
    assert len(store) == 2
    assert store.get("a", lambda: "again") == "A"
    assert store.get("b", lambda: "B again") == "B again"


def test_size_zero_renders_every_time():
    store = Fragments(size=0)
    assert store.get("a", lambda: "1") == "1"
    assert store.get("a", lambda: "2") == "2"
    assert len(store) == 0


def test_each_app_has_its_own_stores(app):
    other = Flask("other")
    other.config["FRAGMENT_CACHE_SIZE"] = 16
    with app.app_context():
        mine = fragments("cards")
        assert fragments("cards") is mine
        assert fragments("comments") is not mine
    theirs = fragments("cards", other)
    assert theirs is not mine
    assert theirs.size == 16
