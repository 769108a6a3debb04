"""One home for each concern: ``services`` stores, ``delivery`` sends and queues, ``tasks`` are the worker's entry
points; ``services`` and ``tasks`` do not import each other (not even inside a function)."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent


def imported_modules(name: str) -> set[str]:
    """The sibling modules ``name`` imports, anywhere in the file (relative or absolute imports)."""
    tree = ast.parse((PACKAGE / f"{name}.py").read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 and not module:
                found.update(alias.name for alias in node.names)
            elif node.level == 1:
                found.add(module.split(".")[0])
            elif module.startswith("pilot_portal.notifications."):
                found.add(module.split(".")[2])
            elif module == "pilot_portal.notifications":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.split(".")[2] for alias in node.names if alias.name.startswith("pilot_portal.notifications.")
            )
    return found


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [("services", {"tasks"}), ("tasks", {"services"}), ("delivery", {"services", "tasks"})],
)
def test_no_import_cycle_between_services_tasks_and_delivery(module, forbidden):
    assert not imported_modules(module) & forbidden


def test_the_public_names_stay_where_they_were():
    from pilot_portal.notifications import delivery, services, tasks

    for name in ("send_notification_emails", "send_daily_digests", "absolute_link", "queue_notification_emails"):
        assert getattr(services, name) is getattr(delivery, name)
    assert tasks.send_notification_emails.name == "pilot_portal.notifications.tasks.send_notification_emails"
    assert tasks.send_daily_digests.name == "pilot_portal.notifications.tasks.send_daily_digests"
    assert tasks.run_sweep.name == "pilot_portal.notifications.tasks.run_sweep"
    assert tasks.run_sweeps.name == "pilot_portal.notifications.tasks.run_sweeps"
