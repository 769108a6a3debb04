"""The OpenAPI document is valid OpenAPI 3 and the docs page loads nothing from outside the portal."""

import re

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_valid_openapi_3(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert {
        "/api/v1/provinces",
        "/api/v1/units",
        "/api/v1/units/{code}",
        "/api/v1/dossiers",
        "/api/v1/dossiers/{code}",
        "/api/v1/dossiers/{code}/transitions",
        "/api/v1/statistics/06a",
        "/api/v1/sessions",
        "/api/v1/sessions/{session_id}",
        "/api/v1/campaigns",
        "/api/v1/campaigns/{campaign_id}/units",
    } <= paths
    assert document["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    create = document["paths"]["/api/v1/dossiers"]["post"]["responses"]
    assert {"200", "201", "400", "401", "403", "404", "409", "429"} <= set(create)


def test_the_docs_page_loads_swagger_ui_from_the_portal_only(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert client.get("/static/vendor/swagger-ui-5.35.0/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/api/swagger-init.js").status_code == 200
