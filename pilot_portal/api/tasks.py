"""The worker's entry points of the API: the webhook delivery (defined in ``webhooks``, which queues it)."""

from .webhooks import backoff as backoff
from .webhooks import deliver_webhook_task

#: One delivery, retried with an exponential backoff (``webhooks.deliver_webhook_task``).
deliver_webhook = deliver_webhook_task
