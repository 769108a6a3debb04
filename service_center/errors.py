"""The service centre's refusals: a rule the services hold, with the message the user reads."""

from django.utils.translation import gettext as _

from pilot_portal.core.workflow import DomainError


class DossierError(DomainError):
    """A workflow rule refused the action; the message is shown to the user."""


class IntakeFormUsed(DossierError):
    """The intake form was already submitted (its token used) for another dossier."""

    def __init__(self, dossier):
        self.dossier = dossier
        super().__init__(
            _(
                "This intake form was already used to receive dossier %(code)s. Nothing was saved for this "
                "citizen: check the details and confirm again to receive a new dossier."
            )
            % {"code": dossier.code}
        )


class SourceNumberUsed(DossierError):
    """Another system's number was already used for a dossier of another citizen or procedure."""

    def __init__(self, dossier):
        self.dossier = dossier
        super().__init__(
            _(
                "The number %(number)s of %(system)s was already used for dossier %(code)s, of another citizen or "
                "procedure. Nothing was saved."
            )
            % {"number": dossier.source_number, "system": dossier.source_system or "?", "code": dossier.code}
        )
