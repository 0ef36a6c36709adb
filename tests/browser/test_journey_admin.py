"""The administrator sets up the organisation: a category (a missing name first), a department
with its head, a new colleague who can sign in at once, and a deactivated account whose open
session ends. On a desktop: the admin pages' phone layout is checked in
test_accessibility.py."""

import re

import pytest
from playwright.sync_api import expect

from . import steps
from .visitor import DEVICES

pytestmark = pytest.mark.browser


def test_admin_sets_up_categories_departments_and_people(data, browse):
    otto = browse(data.otto)  # signed in elsewhere, about to be deactivated
    adam = browse(data.adam)
    page = adam.page

    steps.navigate(adam, "Admin")  # under "More" below 1600 px
    page.wait_for_url(re.compile(r"/admin/users$"))
    page.locator(".tabs").get_by_role("link", name="Categories").click()
    page.get_by_role("link", name="New category").click()
    page.get_by_label("Name (English)").fill("Travel")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#name_de")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#name_de-error")).to_have_text("Please fill in this field.")
    adam.check()
    page.get_by_label("Name (German)").fill("Reisen")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/admin/categories$"))
    expect(page.locator(".flashes")).to_contain_text("The category is saved.")
    expect(page.locator("tbody tr").filter(has_text="Travel")).to_contain_text("Reisen")
    adam.check()

    page.locator(".tabs").get_by_role("link", name="Departments").click()
    page.get_by_role("link", name="New department").click()
    page.get_by_label("Name").fill("Legal")
    page.get_by_label("Decision budget").fill("1500")
    page.get_by_label("Heads").select_option(label=f"Hanna Head <{data.hanna.email}>")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/admin/departments$"))
    expect(page.locator("tbody tr").filter(has_text="Legal")).to_contain_text("Hanna Head")
    adam.check()

    page.locator(".tabs").get_by_role("link", name="Users").click()
    page.get_by_role("link", name="New user").click()
    page.get_by_label("Email").fill("nina@freiraum.example")
    page.get_by_label("Name").fill("Nina Newcomer")
    page.get_by_label("Department").select_option(label="Legal")
    page.get_by_label("Initial password").fill("welcome to freiraum")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/admin/users$"))
    expect(page.locator(".flashes")).to_contain_text("The account for Nina Newcomer is created.")
    page.get_by_label("Search by name or email").fill("otto")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    page.locator("tbody tr").get_by_role("button", name="Deactivate").click()
    expect(page.locator(".flashes")).to_contain_text("Otto Other is deactivated and signed out.")
    expect(page.locator("tbody tr").filter(has_text="Otto Other")).to_contain_text("deactivated")
    adam.check()

    otto.page.reload()
    expect(otto.page).to_have_url(re.compile(r"/login"))

    nina = browse(device=DEVICES["phone"])  # the newcomer starts on her phone
    nina.goto("/login")
    nina.page.fill("#email", "nina@freiraum.example")
    nina.page.fill("#password", "welcome to freiraum")
    nina.page.press("#password", "Enter")
    nina.page.wait_for_url(re.compile(r"/ideas$"))
    nina.goto("/ideas/new")
    expect(nina.page.locator("#category option", has_text="Travel")).to_have_count(1)
    expect(nina.page.locator("#owning_department option:checked")).to_have_text("Legal")
