"""The secretary invites a participant to speak on the running item; the timer ticks, the speech stops and is
listed."""

import re

import pytest
from django.utils import timezone

from sessions.models import Session, Speech

from .factories import AgendaItemFactory, ParticipantFactory, SessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretary_invites_a_speaker_and_stops_the_speech(page, login, live_server, unit, unit_official):
    from playwright.sync_api import expect

    session = SessionFactory(unit=unit, status=Session.Status.IN_PROGRESS, actual_start=timezone.now())
    item = AgendaItemFactory(
        session=session, order=1, title="Thảo luận tờ trình", planned_minutes=10, started_at=timezone.now()
    )
    ParticipantFactory(session=session, name="Khách Mời Một", is_member=False)
    ParticipantFactory(session=session, name="Trần Thị Bình")
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(unit_official)
    page.goto(f"/sessions/{session.pk}/run/")
    expect(page.locator("#speaker-name")).to_have_text("Chưa có ai phát biểu")
    choice = page.get_by_label("Người phát biểu")
    expect(choice.locator("option").first).to_contain_text("Trần Thị Bình")  # delegates before guests
    bình = session.participants.get(name="Trần Thị Bình")
    choice.select_option(value=str(bình.pk))
    page.get_by_role("button", name="Mời phát biểu").click()
    expect(page.locator("#speaker-name")).to_have_text("Trần Thị Bình")
    timer = page.locator("#speaker-timer")
    expect(timer).to_have_text(re.compile(r"^00:0\d$"))
    first = timer.text_content()
    expect(timer).not_to_have_text(first, timeout=5_000)  # it ticks
    page.get_by_role("button", name="Dừng phát biểu").click()
    expect(page.locator("#speaker-name")).to_have_text("Chưa có ai phát biểu")
    rows = page.locator("#speeches .speech-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Trần Thị Bình")
    expect(rows.first.locator(".speech-duration")).to_have_text(re.compile(r"^00:0\d$"))
    speech = Speech.objects.get()
    assert speech.item == item and speech.ended_at is not None
    assert errors == []
