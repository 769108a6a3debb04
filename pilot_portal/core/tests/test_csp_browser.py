"""The main pages run under the enforced Content-Security-Policy without a single violation, and the print
buttons (a static script now, no onclick) still print."""

import pytest
from playwright.sync_api import expect

from pilot_portal.campaigns.services import campaign_unit_add, checklist_templates_ensure_defaults
from pilot_portal.campaigns.tests.factories import CampaignFactory
from service_center.tests.factories import DossierFactory
from sessions.tests.factories import SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def watch(page) -> list[str]:
    console = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return console


def visit(page, url, console):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    violations = page.evaluate("window.__cspViolations")
    assert (url, violations, console) == (url, [], [])


def test_main_pages_have_no_policy_violation(page, login, unit, unit_official, ward_clerk, province_staff):
    checklist_templates_ensure_defaults()
    campaign = CampaignFactory(province=unit.province)
    campaign_unit = campaign_unit_add(campaign=campaign, unit=unit)
    dossier = DossierFactory(unit=unit)
    session = SessionFactory(unit=unit)
    console = watch(page)

    visit(page, "/accounts/login/", console)
    visit(page, "/tra-cuu/", console)
    login(ward_clerk)
    for url in ("/", "/service-center/", "/service-center/intake/", f"/service-center/dossiers/{dossier.code}/"):
        visit(page, url, console)
    visit(page, f"/service-center/dossiers/{dossier.code}/forms/01/", console)
    page.context.clear_cookies()
    login(unit_official)
    for url in ("/", f"/campaigns/units/{campaign_unit.pk}/", "/sessions/", f"/sessions/{session.pk}/"):
        visit(page, url, console)
    page.context.clear_cookies()
    login(province_staff)
    for url in (f"/campaigns/{campaign.pk}/", f"/campaigns/{campaign.pk}/report/", "/units/", "/notifications/"):
        visit(page, url, console)


def test_the_print_button_prints_from_the_static_script(page, login, unit, ward_clerk):
    dossier = DossierFactory(unit=unit)
    console = watch(page)
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    login(ward_clerk)
    page.goto(f"/service-center/dossiers/{dossier.code}/forms/01/")
    page.get_by_role("button", name="In").click()
    expect(page.locator("body")).to_be_visible()
    assert page.evaluate("window.__printed") == 1
    assert console == []
