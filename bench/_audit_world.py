"""The audit's world: three units, each object of each carrying a marker the access check looks for in bodies.

Units: ``AA`` (the own unit, province P1), ``AC`` (another unit of P1) and ``BB`` (a unit of province P2). Every
private record (dossier, session, its agenda, documents, participants, outcomes, comments, checklist evidence,
pilot issue, backlog import, notification) carries an ASCII marker ``QZ<unit><kind>…`` that survives HTML and
JSON escaping. Unit names and codes are the public registry: no marker there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

UNITS = ("AA", "AC", "BB")
#: What a delegate of the unit reads: its published sessions and their documents.
SESSION_KINDS = ("SES", "RUN", "AGD", "DOC", "PAR", "OUT", "CMT", "VER", "VFL")
#: What the live follow page of a published session shows to every user of the province (README: the live page
#: is for the users of the session's province): its title, programme and outcomes.
LIVE_KINDS = ("SES", "AGD", "OUT")


@dataclass
class World:
    units: dict = field(default_factory=dict)
    #: unit tag -> {path parameter name -> value}, per URL name where it differs (see ``path_values``).
    objects: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    #: marker -> (owner kind, owner): ("unit", tag, kind) or ("user", username)
    markers: dict = field(default_factory=dict)
    #: the users of the race rounds and of the uploads
    clerk_b: object = None


def marker(world: World, tag: str, kind: str, n: int | str = "") -> str:
    text = f"QZ{tag}{kind}{n}X"
    world.markers[text] = ("unit", tag, kind)
    return text


def seed() -> World:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from pilot_portal.accounts.tests.factories import UserFactory
    from pilot_portal.api.tokens import token_create
    from pilot_portal.campaigns.models import ChecklistItem
    from pilot_portal.campaigns.services import campaign_unit_add, checklist_templates_ensure_defaults
    from pilot_portal.campaigns.tests.factories import CampaignFactory, PilotIssueFactory
    from pilot_portal.notifications.models import Notification
    from service_center.models import BacklogImport, Status
    from service_center.tests.factories import DossierFactory, ProcedureFactory
    from sessions.models import Comment, DocumentVersion, Outcome, Session, Speech
    from sessions.tests.factories import AgendaItemFactory, DocumentFactory, ParticipantFactory, SessionFactory
    from units.tests.factories import ProvinceFactory, UnitFactory

    world = World()
    checklist_templates_ensure_defaults()
    ProcedureFactory()
    p1, p2 = ProvinceFactory(code="Q1"), ProvinceFactory(code="Q2")
    provinces = {"AA": p1, "AC": p1, "BB": p2}
    campaigns = {p1.pk: CampaignFactory(province=p1), p2.pk: CampaignFactory(province=p2)}
    world.users = {
        "superuser": UserFactory(username="audit.admin", superuser=True),
        "national viewer": UserFactory(username="audit.national", national_viewer=True),
        "province staff (own)": UserFactory(username="audit.tinh1", province_staff=True, province=p1),
        "province staff (other)": UserFactory(username="audit.tinh2", province_staff=True, province=p2),
        "no role": UserFactory(username="audit.norole"),
    }
    for tag in UNITS:
        unit = UnitFactory(province=provinces[tag], code={"AA": "97001", "AC": "97002", "BB": "97003"}[tag])
        world.units[tag] = unit
        official = UserFactory(username=f"audit.official.{tag.lower()}", unit_official=True, unit=unit)
        clerk = UserFactory(username=f"audit.clerk.{tag.lower()}", ward_clerk=True, unit=unit)
        delegate = UserFactory(username=f"audit.delegate.{tag.lower()}", delegate=True, unit=unit)
        if tag == "AA":
            world.users.update({"unit official": official, "ward clerk": clerk, "delegate": delegate})
        if tag == "BB":
            world.clerk_b = clerk
        campaign_unit = campaign_unit_add(campaign=campaigns[unit.province_id], unit=unit)
        item = ChecklistItem.objects.filter(campaign_unit=campaign_unit, derived_source="").first()
        item.evidence_note = marker(world, tag, "CHK")
        item.evidence_file.save("bang-chung.pdf", ContentFile(b"%PDF-1.4 " + marker(world, tag, "EVF").encode()))
        item.save()
        issue = PilotIssueFactory(
            campaign_unit=campaign_unit, title=marker(world, tag, "ISS"), description=marker(world, tag, "ISD")
        )
        session = SessionFactory(unit=unit, title=marker(world, tag, "SES"), stream_access="province")
        agenda = AgendaItemFactory(session=session, order=1, title=marker(world, tag, "AGD"), planned_minutes=5)
        document = DocumentFactory(session=session, title=marker(world, tag, "DOC"))
        version = DocumentVersion.objects.create(
            document=document, number=1, original_name=f"{marker(world, tag, 'VER')}.pdf", size=12
        )
        version.file.save("to-trinh.pdf", ContentFile(b"%PDF-1.4 " + marker(world, tag, "VFL").encode()))
        participant = ParticipantFactory(session=session, name=marker(world, tag, "PAR"))
        outcome = Outcome.objects.create(session=session, title=marker(world, tag, "OUT"))
        Comment.objects.create(
            session=session, author=world.users["province staff (own)"], body=marker(world, tag, "CMT")
        )
        speech = Speech.objects.create(item=agenda, participant=participant, started_at=timezone.now())
        Session.objects.filter(pk=session.pk).update(status=Session.Status.PUBLISHED)
        running = SessionFactory(unit=unit, title=marker(world, tag, "RUN"), stream_access="province")
        Session.objects.filter(pk=running.pk).update(status=Session.Status.IN_PROGRESS, actual_start=timezone.now())
        draft = SessionFactory(unit=unit, title=marker(world, tag, "DRF"), stream_access="province")
        dossier = DossierFactory(
            unit=unit, status=Status.PROCESSING, applicant_name=marker(world, tag, "DOS"), lookup_secret="123456"
        )
        batch = BacklogImport(unit=unit, uploaded_by=clerk, uploaded_at=timezone.now(), sha256="0" * 64)
        batch.original_name = f"{marker(world, tag, 'BLI')}.csv"
        batch.file.save("ton-dong.csv", ContentFile(b"So ho so cu\n1\n"), save=False)
        batch.save()
        world.objects[tag] = {
            "unit": unit.code,
            "campaign": campaign_unit.campaign_id,
            "campaign_unit": campaign_unit.pk,
            "item": item.pk,
            "issue": issue.pk,
            "session": session.pk,
            "draft": draft.pk,
            "running": running.pk,
            "agenda": agenda.pk,
            "document": document.pk,
            "version": version.pk,
            "participant": participant.pk,
            "outcome": outcome.pk,
            "speech": speech.pk,
            "dossier": dossier.code,
            "backlog": batch.token,
        }
    # Notifications and API tokens are their user's own: another user's are what must not show.
    for user in [*world.users.values(), world.clerk_b]:
        text = f"QZN{user.pk}X"
        world.markers[text] = ("user", user.username)
        note = Notification.objects.create(
            recipient=user, kind="system", key=f"audit:{user.pk}", title=text, body=text, link="/"
        )
        world.objects.setdefault("notification", {})[user.username] = note.pk
        token = token_create(user=user, name=f"QZT{user.pk}X")
        world.markers[f"QZT{user.pk}X"] = ("user", user.username)
        world.tokens[user.username] = token
    return world


def visible_markers(world: World, role: str) -> set[str]:
    """The markers ``role`` may read; any other marker in a 200 response is a leak."""
    user = world.users.get(role)
    allowed = set()
    for text, owner in world.markers.items():
        if owner[0] == "user":
            if user is not None and owner[1] == user.username:
                allowed.add(text)
            continue
        _kind, tag, kind = owner
        if (
            role in ("superuser", "national viewer")
            or (role == "province staff (own)" and tag in ("AA", "AC"))
            or (role == "province staff (other)" and tag == "BB")
            or (role in ("unit official", "ward clerk") and (tag == "AA" or (tag == "AC" and kind in LIVE_KINDS)))
            or (role == "delegate" and tag == "AA" and kind in SESSION_KINDS)
        ):
            allowed.add(text)
    return allowed


#: What the fingerprint of a unit reads: (model, path to the unit). Stream viewers are left out: opening the live
#: page records the viewer's unit on purpose.
_FINGERPRINTED = (
    ("service_center.Dossier", "unit"),
    ("service_center.DossierEvent", "dossier__unit"),
    ("service_center.BacklogImport", "unit"),
    ("council_sessions.Session", "unit"),
    ("council_sessions.SessionEvent", "session__unit"),
    ("council_sessions.Document", "session__unit"),
    ("council_sessions.DocumentVersion", "document__session__unit"),
    ("council_sessions.AgendaItem", "session__unit"),
    ("council_sessions.Participant", "session__unit"),
    ("council_sessions.Outcome", "session__unit"),
    ("council_sessions.Comment", "session__unit"),
    ("council_sessions.Speech", "item__session__unit"),
    ("campaigns.CampaignUnit", "unit"),
    ("campaigns.ChecklistItem", "campaign_unit__unit"),
    ("campaigns.PilotIssue", "campaign_unit__unit"),
    ("notifications.Notification", "recipient__unit"),
    ("api.ApiToken", "user__unit"),
)


def fingerprints(world: World) -> dict[str, int]:
    """A hash of every row of each unit's records (minus the last-use times of tokens)."""
    from django.apps import apps

    result = {}
    for tag, unit in world.units.items():
        rows = []
        for label, path in _FINGERPRINTED:
            model = apps.get_model(label)
            values = model.objects.filter(**{path: unit}).order_by("pk").values()
            rows.append([{k: v for k, v in row.items() if k != "last_used_at"} for row in values])
        result[tag] = hash(repr(rows))
    return result
