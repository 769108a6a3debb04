"""The vote rule's edges that mutation testing showed no test held (docs/mutation.md)."""

import pytest

from sessions import services
from sessions.models import Session

from .factories import ParticipantFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _session(unit, present):
    session = SessionFactory(unit=unit, kind="ubnd", status=Session.Status.IN_PROGRESS)
    for _ in range(present):
        ParticipantFactory(session=session, attendance="present")
    return session


def test_no_vote_for_with_every_member_present_voting_against_or_abstaining_is_accepted(unit, unit_official):
    session = _session(unit, present=3)
    outcome = services.outcome_add(
        session=session, actor=unit_official, title="Quyết định", votes_for=0, votes_against=2, votes_abstain=1
    )
    assert outcome.adopted is False


def test_too_many_votes_are_refused_with_the_counts_in_vietnamese(unit, unit_official):
    session = _session(unit, present=3)
    with pytest.raises(services.SessionError) as refused:
        services.outcome_add(session=session, actor=unit_official, title="Quyết định", votes_for=3, votes_against=1)
    assert str(refused.value) == (
        "Đã nhập 4 phiếu (tán thành, không tán thành và không biểu quyết) nhưng chỉ có 3 đại biểu, thành viên có "
        "mặt: kiểm tra lại số phiếu, hoặc điểm danh trước."
    )
