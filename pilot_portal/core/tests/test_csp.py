"""The Content-Security-Policy: enforced, no inline script allowed, and no template relies on one."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.django_db
def test_pages_carry_an_enforced_policy_without_inline_scripts(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert "Content-Security-Policy-Report-Only" not in response


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        if re.search(r"\son[a-z]+\s*=", text) or re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []
