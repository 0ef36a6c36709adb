"""A person at a browser: one Playwright context and page, with the checks every page owes.

Journeys drive ``visitor.page`` with Playwright's own API (and ``expect``); the helpers here
are the things every journey needs: sign in, open a path, check the page (no sideways
scrolling, touch targets on a phone), run axe, take a screenshot.
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, ConsoleMessage, Page, Response, expect

from .dataset import PASSWORD, Account

# Generous waits: on a busy 2-core machine a page can take seconds. They cost nothing when
# things work, and a failure still names what it waited for.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)

AXE_SOURCE = Path(__file__).with_name("vendor").joinpath("axe-core", "axe.min.js")
BLOCKING_IMPACTS = {"serious", "critical"}
MIN_TOUCH_TARGET = 44  # px, WCAG 2.5.5 (AAA) and the platforms' guidelines

# What a person taps: buttons, navigation links, form controls. A checkbox is tapped through
# its label, so the label is measured. Links inside running text are exempt (WCAG 2.5.8).
TOUCH_TARGETS = ", ".join([
    "button", "summary", ".button", "select", "textarea",
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio])", "label.check",
    "nav a", ".topbar a", ".usermenu-panel a",
])  # fmt: skip


# Not innerWidth: a phone (is_mobile) widens its layout viewport to fit what overflows, so
# innerWidth grows with the bug. clientWidth stays the width the person sees.
PAGE_MEASURES = """([phone, targets, minimum]) => {
    const visible = el => el.checkVisibility({visibilityProperty: true});
    const found = {overflow: document.scrollingElement.scrollWidth
                             - document.documentElement.clientWidth};
    // A table or a row of tabs that scrolls inside its box hides its last columns (the
    // queue's buttons, a commitment's state) behind a scrollbar: on a desktop too.
    // (A table folded away in a closed <details> is measured when it is opened.)
    found.wide = [...document.querySelectorAll(".table-wrap, .tabs")].filter(visible)
        .filter(el => el.scrollWidth > el.clientWidth + 1)
        .map(el => `${el.scrollWidth - el.clientWidth}px: ${el.innerText.slice(0, 50)}`);
    if (!phone) return found;
    found.small = [...document.querySelectorAll(targets)].filter(visible)
        .map(el => [el, el.getBoundingClientRect()])
        .filter(([el, box]) => box.height > 0 && box.height < minimum - 0.5)
        .map(([el, box]) => `${el.outerHTML.slice(0, 120)} (${box.height}px)`);
    found.navRows = [...document.querySelectorAll(".mainnav > a, .nav-more > summary")]
        .filter(visible)
        .map(el => `${Math.round(el.getBoundingClientRect().top)}: ${el.innerText}`);
    return found;
}"""


@dataclass(frozen=True)
class Device:
    name: str
    width: int
    height: int
    phone: bool = False

    def context_options(self) -> dict:
        options = {"viewport": {"width": self.width, "height": self.height}}
        if self.phone:
            options |= {"is_mobile": True, "has_touch": True}
        return options


DEVICES = {
    "desktop": Device("desktop", 1280, 900),
    "phone": Device("phone", 390, 844, phone=True),
}
# The other common desktop widths, for the page checks of the wide tables (the journeys run
# at 1280 only, to stay quick).
WIDE_DESKTOPS = {
    "desktop-1366": Device("desktop-1366", 1366, 768),
    "desktop-1920": Device("desktop-1920", 1920, 1080),
}


class Visitor:
    def __init__(
        self, chromium: Browser, base_url: str, device: Device, locale: str, artifacts: Path
    ):
        self.base_url = base_url
        self.device = device
        self.artifacts = artifacts
        self.problems: list[str] = []
        self.context = chromium.new_context(
            base_url=base_url, locale=locale, **device.context_options()
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page: Page = self.context.new_page()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.problems.append(f"JS error: {error}"))
        self.page.on("response", self._on_response)

    # -- what the browser reports -------------------------------------------------------
    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type not in ("error", "warning"):
            return
        text = message.text
        # Chromium reports every 4xx/5xx response here, including pages that are meant to be
        # error pages (404) or forms answered with 422; _on_response judges those instead.
        if text.startswith("Failed to load resource"):
            return
        # A request that leaving the page cut short (htmx logs the abort and its end as errors);
        # a request the server really failed is caught by _on_response.
        if text.startswith(("htmx:sendAbort", "htmx:afterRequest")):
            return
        if message.type == "warning" and "Content Security Policy" not in text:
            return
        self.problems.append(f"console {message.type} on {self.page.url}: {text}")

    def _on_response(self, response: Response) -> None:
        request = response.request
        if response.status >= 500 or (
            response.status >= 400 and request.resource_type != "document"
        ):
            self.problems.append(f"{response.status} for {request.resource_type} {request.url}")

    # -- moving around -----------------------------------------------------------------------
    def goto(self, path: str, *, status: int = 200) -> Response:
        response = self.page.goto(path)
        assert response is not None and response.status == status, (path, response.status)
        self.check()
        return response

    def sign_in(self, account: Account, password: str = PASSWORD) -> None:
        self.goto("/login")
        self.page.fill("#email", account.email)
        self.page.fill("#password", password)
        self.page.press("#password", "Enter")
        self.page.wait_for_url(re.compile(r"/ideas$"))
        self.check()

    def close(self) -> None:
        self.context.close()

    # -- checks ------------------------------------------------------------------------------
    def check(self) -> None:
        """What every page owes every visitor: no sideways scrolling, and nothing hides off to
        the side inside a table or a row of tabs (on a desktop every column fits; on a phone
        tables become cards and tabs wrap); on a phone, everything a person taps is at least
        44 px high and the main navigation keeps one row (what does not fit folds under
        "More"). Console errors are collected all along."""
        # After a click the new page's text can be there before its stylesheet: measure the
        # page as shown, not half-built (seen on a loaded machine).
        self.page.wait_for_load_state("load")
        # One round trip to the browser: measured for every page of every journey.
        found = self.page.evaluate(
            PAGE_MEASURES, [self.device.phone, TOUCH_TARGETS, MIN_TOUCH_TARGET]
        )
        assert found["overflow"] <= 0, f"{self.page.url} scrolls sideways by {found['overflow']}px"
        wide = found["wide"]
        assert not wide, f"{self.page.url}: scrolls sideways inside:\n" + "\n".join(wide)
        if self.device.phone:
            small, rows = found["small"], found["navRows"]
            assert not small, f"{self.page.url}: touch targets under 44px:\n" + "\n".join(small)
            tops = {row.split(":")[0] for row in rows}
            assert len(tops) <= 1, f"{self.page.url}: the navigation wraps: {rows}"

    def axe(self) -> list[dict]:
        """Run axe-core on the page; returns every violation (all impacts). The source is
        evaluated through the DevTools protocol: no inline script, the CSP stays in force."""
        self.page.wait_for_load_state("load")  # colours are judged with the stylesheet
        if not self.page.evaluate("typeof window.axe === 'object'"):
            # This page gets it now, every later page of this person as it loads: the 650 kB
            # travel to the browser once, not once a page.
            source = AXE_SOURCE.read_text(encoding="utf-8")
            self.page.evaluate(source)
            self.context.add_init_script(source)
        return self.page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ["violations"]});
                return result.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map(n => ({target: n.target.join(" "),
                                              html: n.html.slice(0, 200),
                                              summary: n.failureSummary})),
                }));
            }"""
        )

    def assert_accessible(self, name: str) -> list[dict]:
        """No serious or critical axe violation. Every finding is also written to
        test-artifacts/axe/<name>.json for people to read."""
        violations = self.axe()
        out = self.artifacts / "axe" / f"{name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"url": self.page.url, "violations": violations}, indent=2))
        blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
        assert not blocking, f"{self.page.url}: axe found\n" + "\n".join(
            f"- {v['impact']} {v['id']}: {v['help']}\n    "
            + "\n    ".join(f"{n['target']}: {n['html']}" for n in v["nodes"][:5])
            for v in blocking
        )
        return violations

    def screenshot(self, name: str) -> Path:
        path = self.artifacts / "screenshots" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def screenshot_after_failure(self, name: str) -> None:
        # A page that is gone already must not hide the real failure.
        with contextlib.suppress(Exception):
            self.page.screenshot(path=str(self.artifacts / "failures" / f"{name}.png"))

    # -- small conveniences ------------------------------------------------------------------
    def flash(self) -> str:
        return self.page.inner_text(".flashes")

    def expect_heading(self, text: str) -> None:
        expect(self.page.locator("h1")).to_have_text(text)
