"""The main navigation on a desktop: one row at every common width, in both languages and for
every role, and every link of the role either in the bar or under "More" (never both, never
neither). The journeys check the phone's bar; this walks the desktop widths, where a head's,
leader's or admin's German links once wrapped to a second row from 1100 to 1920 px."""

import pytest

from .visitor import Device

pytestmark = pytest.mark.browser

WIDTHS = [1100, 1280, 1366, 1599, 1600, 1920]

NAV = """() => {
    const shown = el => el.checkVisibility();
    const bar = [...document.querySelectorAll('.mainnav > a')].filter(shown);
    const more = document.querySelector('.nav-more');
    const folded = more && shown(more);
    const rows = new Set([...bar, ...(folded ? [more.querySelector('summary')] : [])]
        .map(el => el.getBoundingClientRect())
        .map(box => Math.round(box.top + box.height / 2)));
    let panel = [];
    if (folded) {
        more.open = true;
        panel = [...more.querySelectorAll('.nav-more-panel a')].filter(shown);
        more.open = false;
    }
    return {
        rows: rows.size,
        every: [...document.querySelectorAll('.mainnav > a')].map(a => a.getAttribute('href')),
        reachable: [...bar, ...panel].map(a => a.getAttribute('href')),
        folded: !!folded,
    };
}"""


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_the_navigation_keeps_one_row_and_every_link_on_a_desktop(data, browse, locale):
    for account, links in [(data.erika, 5), (data.hanna, 7), (data.lea, 8), (data.adam, 8)]:
        person = browse(account, Device("desktop", WIDTHS[0], 800), locale)
        page = person.page
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            nav = page.evaluate(NAV)
            where = f"{account.email} at {width}px ({locale})"
            assert len(nav["every"]) == links, where
            assert nav["rows"] == 1, f"{where}: the navigation wraps"
            assert sorted(nav["reachable"]) == sorted(nav["every"]), f"{where}: {nav}"
            # "More" only when something is folded under it.
            assert nav["folded"] == (width < 1600 and links > 5), where
            person.check()
