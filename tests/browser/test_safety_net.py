"""The checks every journey relies on really catch what they claim to: CSP violations,
JavaScript errors, failed requests, sideways scrolling (of the page, or inside a table, on a
phone and on a desktop), small touch targets, a navigation that wraps on a phone, axe findings."""

import pytest

from .visitor import DEVICES

pytestmark = pytest.mark.browser


def test_the_checks_catch_what_they_should(data, browse):
    phone = browse(data.erika, DEVICES["phone"])
    page = phone.page

    # Each of the three reaches the page's listeners before the wait for it ends.
    with (
        page.expect_console_message(lambda m: "Content Security Policy" in m.text),
        page.expect_event("pageerror"),
        page.expect_response(lambda r: r.url.endswith("/static/nowhere.js")),
    ):
        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.inline = 1";  // inline script: the CSP refuses it
            document.body.append(script);
            setTimeout(() => { throw new Error("boom"); });
            fetch("/static/nowhere.js");
        }""")
    assert page.evaluate("() => window.inline === undefined")
    problems = "\n".join(phone.problems)
    assert "Content Security Policy" in problems
    assert "JS error: boom" in problems or "Error: boom" in problems
    assert "404 for fetch" in problems
    phone.problems.clear()

    page.evaluate("""() => {
        const wide = document.createElement("div");
        wide.id = "too-wide";
        wide.textContent = "x".repeat(400);
        document.querySelector("main").append(wide);
    }""")
    with pytest.raises(AssertionError, match="scrolls sideways"):
        phone.check()
    page.evaluate("""() => {
        document.getElementById("too-wide").remove();
        const tiny = document.createElement("button");
        tiny.className = "linklike";
        tiny.textContent = "tiny";
        document.querySelector("main").append(tiny);
        tiny.style.minHeight = "0";  // CSSOM, which the CSP allows
        tiny.style.height = "20px";
    }""")
    with pytest.raises(AssertionError, match="touch targets under 44px"):
        phone.check()
    page.evaluate("""() => {
        document.querySelector("main button.linklike:last-child").remove();
        const table = document.createElement("div");
        table.className = "table-wrap";
        table.id = "wide-table";
        table.innerHTML = "<table><tr><td>" + "x".repeat(400) + "</td></tr></table>";
        document.querySelector("main").append(table);
    }""")
    with pytest.raises(AssertionError, match="scrolls sideways inside"):
        phone.check()
    page.evaluate("""() => {
        document.getElementById("wide-table").remove();
        const nav = document.querySelector(".mainnav");
        nav.style.flexWrap = "wrap";
        for (const name of ["One", "Two", "Three", "Four"]) {
            const link = document.createElement("a");
            link.href = "/ideas";
            link.textContent = name + " more places";
            nav.append(link);
        }
    }""")
    with pytest.raises(AssertionError, match="the navigation wraps"):
        phone.check()

    page.evaluate("""() => {
        const image = document.createElement("img");
        image.src = "/static/img/logo.svg";  // no alt text: a critical axe finding
        document.querySelector("main").append(image);
    }""")
    with pytest.raises(AssertionError, match="image-alt"):
        phone.assert_accessible("safety-net-deliberate-findings")
    assert phone.problems == []


def test_a_desktop_table_that_hides_columns_is_caught(data, browse):
    desktop = browse(data.erika)
    desktop.page.evaluate("""() => {
        const table = document.createElement("div");
        table.className = "table-wrap";
        table.innerHTML = "<table><tr><td>" + "x".repeat(400) + "</td><td>State</td></tr></table>";
        document.querySelector("main").append(table);
    }""")
    with pytest.raises(AssertionError, match="scrolls sideways inside"):
        desktop.check()
