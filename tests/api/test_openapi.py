"""The OpenAPI document: valid 3.1, covering every route, readable on a page of its own."""

from __future__ import annotations

from openapi_spec_validator import validate

from suggestions.api.openapi import OPERATIONS, UNDOCUMENTED


def test_the_document_is_valid_openapi_and_public(app, anonymous_api):
    response = anonymous_api.get("/openapi.json")
    assert response.status_code == 200
    validate(response.json)
    assert response.json["openapi"] == "3.1.0"
    assert set(response.json["webhooks"]) >= {"idea.submitted", "idea.status_changed"}


def test_every_api_route_is_documented(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")}
    assert endpoints - UNDOCUMENTED == set(OPERATIONS)


def test_the_reference_page_needs_no_script(app, anonymous_api):
    page = anonymous_api.get("/reference").get_data(as_text=True)
    assert (
        "/ideas/{idea_id}/actions/{action}" in page and "<script" not in page.split("</header>")[-1]
    )
