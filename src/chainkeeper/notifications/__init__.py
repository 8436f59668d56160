"""Notifications: e-mail (SMTP) and signed webhooks, sent from a transactional outbox.

Callers enqueue in their own transaction (:func:`enqueue_email`, :func:`enqueue_webhooks`), so a notification exists
if and only if the state change it reports committed; :func:`deliver_due` (``chainkeeper notifications deliver``)
sends what is due, outside any transaction, and retries with back-off.
"""

from chainkeeper.notifications.service import (
    DeliveryOutcome,
    DeliveryReport,
    deliver_due,
    enqueue_email,
    enqueue_webhooks,
    list_notifications,
    requeue_failed,
)
from chainkeeper.notifications.webhooks import sign, verify_signature

__all__ = ["DeliveryOutcome", "DeliveryReport", "deliver_due", "enqueue_email", "enqueue_webhooks",
           "list_notifications", "requeue_failed", "sign", "verify_signature"]
