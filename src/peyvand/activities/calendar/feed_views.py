"""The iCalendar pages: the private feed at its secret address, making and revoking that address
(from the profile page), and a meeting's invitation as an ``.ics`` file. Thin over ``ical``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from peyvand.accounts.models import User
from peyvand.activities import access, ical
from peyvand.activities.models import Activity

CONTENT_TYPE = "text/calendar; charset=utf-8"
# The address just made, kept in the session only until the page after the POST shows it.
NEW_FEED_URL_KEY = "calendar_new_feed_url"


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@require_safe
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The feed calendar programs poll: no session, the secret in the address is the key."""
    user = ical.feed_owner(token)
    if user is None or not access.can_see_activities(user):
        raise Http404
    with translation.override(user.language or settings.LANGUAGE_CODE):  # the kinds' names in the user's language
        content = ical.feed(user)
    response = HttpResponse(content, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def feed_token_create_view(request: HttpRequest) -> HttpResponse:
    """POST makes a new address and redirects here; the GET that follows shows it once (from the
    session, then forgotten), so reloading neither makes another nor shows it again."""
    actor = _actor(request)
    if not access.can_see_activities(actor):
        raise PermissionDenied
    if request.method == "POST":
        token = ical.feed_token_create(actor=actor)
        request.session[NEW_FEED_URL_KEY] = request.build_absolute_uri(reverse("calendar:feed", args=[token]))
        return redirect("calendar:feed_create")
    url = request.session.pop(NEW_FEED_URL_KEY, None)
    if url is None:
        messages.info(request, _("Your calendar address is shown only once, when made. Make a new one if you need it."))
        return redirect("accounts:profile")
    return render(request, "activities/calendar/feed_created.html", {"feed_url": url})


@login_required
@require_POST
def feed_token_revoke_view(request: HttpRequest) -> HttpResponse:
    if ical.feed_token_revoke(actor=_actor(request)):
        messages.success(request, _("Your calendar address was revoked: programs subscribed to it get nothing more."))
    else:
        messages.info(request, _("You had no calendar address."))
    return redirect("accounts:profile")


@login_required
@require_safe
def meeting_invitation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's invitation (METHOD:REQUEST) to download, or to attach to an email."""
    activity = access.access_activity(_actor(request), pk)
    if activity.kind != Activity.Kind.MEETING or activity.starts_at is None:
        raise Http404
    response = HttpResponse(ical.invitation(activity), content_type=f"{CONTENT_TYPE}; method=REQUEST")
    response["Content-Disposition"] = f'attachment; filename="meeting-{activity.pk}.ics"'
    return response
