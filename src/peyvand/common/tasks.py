from __future__ import annotations

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one email; queued so that a slow mail server never slows a page."""
    return send_mail(subject=subject, message=body, from_email=None, recipient_list=to)
