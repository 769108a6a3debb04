import pytest


@pytest.fixture(autouse=True)
def _session_files(settings, tmp_path):
    """Uploaded files go to a temporary folder."""
    settings.PRIVATE_FILES_ROOT = tmp_path / "private-files"
