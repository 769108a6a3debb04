from django.core.files.uploadedfile import SimpleUploadedFile

from sessions import services
from sessions.models import Participant

PDF = b"%PDF-1.4\n% test\n%%EOF\n"


def pdf(name="to-trinh.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def publishable(session, actor=None):
    """Give every required document of ``session`` a ready file, and the session a delegate present when it has
    no delegate or member at all (publishing and opening need them)."""
    for document in session.documents.all():
        services.document_upload_version(document=document, upload=pdf(), actor=actor, mark_ready=True)
    if not session.participants.filter(is_member=True).exists():
        Participant.objects.create(
            session=session, name="Nguyễn Văn Chủ Tọa", position="Chủ tịch", attendance=Participant.Attendance.PRESENT
        )
    return session
