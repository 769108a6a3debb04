"""The pilot portal: runs the pilot of the new commune-level governments of a province."""

from .celery import app as celery_app

__version__ = "0.1.0"
__all__ = ("__version__", "celery_app")
