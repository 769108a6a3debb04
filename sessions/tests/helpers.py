from django.core.files.uploadedfile import SimpleUploadedFile

from sessions import services

PDF = b"%PDF-1.4\n% test\n%%EOF\n"


def pdf(name="to-trinh.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def publishable(session, actor=None):
    """Give every required document of ``session`` a ready file."""
    for document in session.documents.all():
        services.document_upload_version(document=document, upload=pdf(), actor=actor, mark_ready=True)
    return session
