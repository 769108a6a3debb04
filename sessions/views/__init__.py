"""Pages of the sessions app, one module per concern; every view is re-exported here for ``sessions.urls``:

- :mod:`.overview`: the list, the calendar, the session page and the printable pages;
- :mod:`.planning`: creating and editing a session, its agenda and its participants;
- :mod:`.documents`: documents, uploaded versions and downloads;
- :mod:`.status`: status changes and closing;
- :mod:`.live`: the live follow page, its JSON state and its server-sent events;
- :mod:`.running`: outcomes, stream viewers, comments, the run of show and item timers;
- :mod:`.exports`: the official documents as Word files and PDF;
- :mod:`.corrections`: editing and removing participants, outcomes and documents;
- :mod:`._common`: who may do what and the helpers the modules share.
"""

from ._common import COMMENTERS, EDITORS
from .corrections import (
    document_edit,
    document_remove,
    outcome_edit,
    outcome_remove,
    participant_edit,
    participant_remove,
)
from .documents import document_add, document_download, document_ready, document_version_add, minutes_download
from .exports import official_document
from .live import live_events, live_page, live_state
from .overview import (
    invitations_print,
    minutes_print,
    programme_print,
    session_calendar,
    session_detail,
    session_list,
)
from .planning import agenda_edit, participants, session_create, session_edit
from .running import comment_add, item_timer, outcome_add, run_of_show, speech_start, speech_stop, viewers
from .status import session_close, session_transition

__all__ = [
    "COMMENTERS",
    "EDITORS",
    "agenda_edit",
    "comment_add",
    "document_add",
    "document_download",
    "document_edit",
    "document_ready",
    "document_remove",
    "document_version_add",
    "invitations_print",
    "item_timer",
    "live_events",
    "live_page",
    "live_state",
    "minutes_download",
    "minutes_print",
    "official_document",
    "outcome_add",
    "outcome_edit",
    "outcome_remove",
    "participant_edit",
    "participant_remove",
    "participants",
    "programme_print",
    "run_of_show",
    "session_calendar",
    "session_close",
    "session_create",
    "session_detail",
    "session_edit",
    "session_list",
    "session_transition",
    "speech_start",
    "speech_stop",
    "viewers",
]
