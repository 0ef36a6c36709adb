"""The administrator imports people from a CSV file: a file with a mistake first (the preview
names the line, nothing is written), then the corrected file, its preview, the confirmation,
and the new colleague in the user list. The admin downloads the sample file on the way."""

import re

import pytest
from playwright.sync_api import expect

from . import steps

pytestmark = pytest.mark.browser

WITH_A_MISTAKE = (
    "email;name;department;role;language\n"
    "nora.neu@freiraum.example;Nora Neu;Customer Service;employee;de\n"
    "paul.probe@freiraum.example;Paul Probe;Marketing;;\n"
)
CORRECTED = WITH_A_MISTAKE.replace("Marketing", "Sales")


def test_admin_imports_people_after_a_preview(data, browse, tmp_path):
    adam = browse(data.adam)
    page = adam.page
    steps.navigate(adam, "Admin")  # under "More" below 1600 px
    page.locator(".tabs").get_by_role("link", name="Import people").click()
    page.wait_for_url(re.compile(r"/admin/people/import$"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a sample file").click()
    assert download.value.suggested_filename == "freiraum-people-sample.csv"
    adam.check()

    wrong = tmp_path / "people.csv"
    wrong.write_text(WITH_A_MISTAKE, encoding="utf-8-sig")
    page.get_by_label("CSV file").set_input_files(str(wrong))
    page.get_by_role("button", name="Show preview").click()
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors).to_contain_text("There is no department “Marketing”")
    expect(errors.locator("td").first).to_have_text("3")
    expect(page.get_by_role("button", name="Import now")).to_have_count(0)
    adam.check()

    page.get_by_role("link", name="Upload a corrected file").click()
    right = tmp_path / "people-corrected.csv"
    right.write_text(CORRECTED, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(right))
    page.get_by_role("button", name="Show preview").click()
    expect(page.locator("#import-counts")).to_contain_text("2 to create")
    expect(page.locator("main")).to_contain_text("Paul Probe")
    adam.check()
    page.get_by_role("button", name="Import now").click()
    page.wait_for_url(re.compile(r"/admin/users$"))
    expect(page.locator(".flashes")).to_contain_text("Import done: 2 created, 0 updated")
    page.get_by_label("Search by name or email").fill("paul")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody tr")).to_contain_text("Sales")
    adam.check()
