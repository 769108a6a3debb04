"""Celery entry points of the service centre (found by ``autodiscover_tasks``).

``send_citizen_notice`` is defined in ``notices``, which queues it after commit without importing this module.
"""

from .notices import send_citizen_notice as send_citizen_notice
