"""Writes of the sessions app. Keyword-only, one transaction each; refusals raise :class:`SessionError` whose
message is shown to the user.

One module per concern; every public name is re-exported here, so ``from sessions import services`` and
``from sessions.services import X`` keep working:

- :mod:`.programmes`: the standard programme templates and default titles;
- :mod:`.planning`: creating and editing a session, its agenda and its participants;
- :mod:`.documents`: documents, uploaded versions and their checks;
- :mod:`.status`: status changes and closing;
- :mod:`.running`: item timers, attendance, outcomes, stream viewers, comments;
- :mod:`.speeches`: who speaks on the running item, and for how long;
- :mod:`.corrections`: editing and removing participants, outcomes and documents;
- :mod:`._common`: the refusal, the status sets and the private helpers they share.
"""

from pilot_portal.core.uploads import FILE_SIGNATURES, safe_filename

from ..models import ALLOWED_TRANSITIONS
from ._common import (
    DOCUMENT_STATUSES,
    OPEN_STATUSES,
    OUTCOME_STATUSES,
    PARTICIPANT_STATUSES,
    PLANNING_STATUSES,
    SessionError,
)
from .corrections import (
    DOCUMENT_FIELDS,
    OUTCOME_FIELDS,
    PARTICIPANT_FIELDS,
    changes_refused,
    document_removal_refused,
    document_remove,
    document_update,
    outcome_remove,
    outcome_update,
    participant_remove,
    participant_update,
)
from .documents import (
    document_add,
    document_set_ready,
    document_upload_version,
    validate_upload,
)
from .planning import (
    SESSION_FIELDS,
    AgendaRowInput,
    agenda_save,
    participants_add,
    session_create,
    session_create_from_template,
    session_update,
)
from .programmes import PROGRAMME_TEMPLATES, TemplateItem, default_title
from .running import (
    agenda_item_start,
    agenda_item_stop,
    attendance_record,
    comment_add,
    outcome_add,
    stream_viewer_add,
    stream_viewers_set,
)
from .speeches import speech_start, speech_stop
from .status import session_close, session_transition

__all__ = [
    "ALLOWED_TRANSITIONS",
    "DOCUMENT_FIELDS",
    "DOCUMENT_STATUSES",
    "FILE_SIGNATURES",
    "OPEN_STATUSES",
    "OUTCOME_FIELDS",
    "OUTCOME_STATUSES",
    "PARTICIPANT_FIELDS",
    "PARTICIPANT_STATUSES",
    "PLANNING_STATUSES",
    "PROGRAMME_TEMPLATES",
    "SESSION_FIELDS",
    "AgendaRowInput",
    "SessionError",
    "TemplateItem",
    "agenda_item_start",
    "agenda_item_stop",
    "agenda_save",
    "attendance_record",
    "changes_refused",
    "comment_add",
    "default_title",
    "document_add",
    "document_removal_refused",
    "document_remove",
    "document_set_ready",
    "document_update",
    "document_upload_version",
    "outcome_add",
    "outcome_remove",
    "outcome_update",
    "participant_remove",
    "participant_update",
    "participants_add",
    "safe_filename",
    "session_close",
    "session_create",
    "session_create_from_template",
    "session_transition",
    "session_update",
    "speech_start",
    "speech_stop",
    "stream_viewer_add",
    "stream_viewers_set",
    "validate_upload",
]
