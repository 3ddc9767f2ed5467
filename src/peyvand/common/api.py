"""What every app's API router shares: one error format, keyset pages and the rate limit.

Every error the API answers has the same body::

    {"error": {"code": "not_found", "message": "...", "fields": [{"field": "email", "message": "..."}]}}

``message`` is written for a person and translated into the request's language; ``code`` is for
programs. :func:`install_error_handlers` turns every exception an operation may raise into that
body, and :class:`PeyvandAPI` does the same for the answers Django Ninja writes by itself (an
unknown address, a method the address does not offer).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any, Generic, TypeVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, URLResolver, re_path
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation
from ninja.throttling import AuthRateThrottle
from pydantic import AfterValidator, ModelWrapValidatorHandler, model_validator

from peyvand.common.http import client_address
from peyvand.common.pagination import InvalidCursor, Page, keyset_page

logger = logging.getLogger("peyvand.api")
ItemT = TypeVar("ItemT")
ModelT = TypeVar("ModelT", bound=models.Model)


# The error format -----------------------------------------------------------------------------
class ErrorField(Schema):
    field: str = Field(description="The input's name; nested parts joined by dots (`roles.0`).")
    message: str


class ErrorDetail(Schema):
    code: str = Field(
        description="validation_error, not_authenticated, permission_denied, not_found, method_not_allowed, "
        "conflict, rate_limited, bad_request or server_error"
    )
    message: str = Field(description="For a person, in the request's language.")
    fields: list[ErrorField] = Field(description="One entry per wrong input; empty when no input is to blame.")


class ErrorOut(Schema):
    error: ErrorDetail


# Status codes documented on every operation (the error body is the same for all of them).
ERROR_RESPONSES: dict[frozenset[int], type[Schema]] = {frozenset({400, 401, 403, 404, 409, 422, 429}): ErrorOut}


def _in_utc(value: dt.datetime) -> dt.datetime:
    """A time without an offset is read in the server's time zone (TIME_ZONE).

    Databases accept narrower offsets than ISO 8601 allows (PostgreSQL: under 16 hours), so a
    moment is compared in UTC whatever offset the client wrote it with.
    """
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ValueError(_("This time is outside the calendar.")) from None


# A moment in time sent by a client.
Moment = Annotated[dt.datetime, AfterValidator(_in_utc)]


class BodyIn(Schema):
    """A request body: a JSON object, never a list, a string, a number or null.

    Django Ninja's Schema reads its fields as attributes of whatever it is given, so that without
    this any JSON value would pass as an object whose fields all keep their defaults.
    """

    # A wrap validator, as Django Ninja's own: defined after it, it runs before it (a "before"
    # validator would run after it, and see every value already wrapped as an object).
    @model_validator(mode="wrap")
    @classmethod
    def _refuse_non_objects(cls, value: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        if not isinstance(value, Mapping | cls):
            raise ValueError(_("Enter an object."))
        return handler(value)


class ApiError(Exception):
    """An error an operation answers with directly: ``raise ApiError(409, "conflict", _("..."))``."""

    def __init__(
        self, status: int, code: str, message: str | Promise, fields: Iterable[tuple[str, str | Promise]] = ()
    ) -> None:
        self.status = status
        self.code = code
        self.message = str(message)
        self.fields = [(name, str(text)) for name, text in fields]
        super().__init__(self.message)


class NotAuthenticatedError(AuthenticationError):
    """A refused login worth explaining (an expired token); answered with 401."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(status_code=401, message=str(message))


def error_response(
    status: int, code: str, message: str | Promise, fields: Iterable[tuple[str, str]] = ()
) -> HttpResponse:
    body = {
        "error": {
            "code": code,
            "message": str(message),
            "fields": [{"field": name, "message": text} for name, text in fields],
        }
    }
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


# Request validation: pydantic's error types in our words, so no pydantic text reaches a client.
def _input_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("value_error", "assertion_error") and context.get("error"):
        # Raised by our own validators, whose text is already translated.
        return str(context["error"])
    if kind == "string_too_short":
        return _("Enter at least %(count)s characters.") % {"count": context.get("min_length")}
    if kind == "string_too_long":
        return _("Enter at most %(count)s characters.") % {"count": context.get("max_length")}
    if kind == "too_short":
        return _("Give at least %(count)s items.") % {"count": context.get("min_length")}
    if kind == "too_long":
        return _("Give at most %(count)s items.") % {"count": context.get("max_length")}
    if kind in ("greater_than_equal", "greater_than"):
        limit = context.get("ge", context.get("gt"))
        return _("Enter a number no smaller than %(limit)s.") % {"limit": limit}
    if kind in ("less_than_equal", "less_than"):
        limit = context.get("le", context.get("lt"))
        return _("Enter a number no greater than %(limit)s.") % {"limit": limit}
    if kind.startswith("int_") or kind == "float_parsing":
        return _("Enter a whole number.")
    if kind.startswith("bool_"):
        return _("Enter true or false.")
    if kind.startswith(("datetime_", "date_", "timezone_")):
        return _("Enter a date and time such as 2025-03-21T09:30:00+03:30.")
    if kind in ("enum", "literal_error"):
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind == "string_type":
        return _("Enter text.")
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("Enter a list.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Enter an object.")
    if kind == "extra_forbidden":
        return _("This field is not accepted here.")
    return _("Enter a valid value.")


_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _input_name(location: Iterable[Any]) -> str:
    """``("body", "payload", "roles", 0)`` becomes ``roles.0``: what the client sent, nothing of ours.

    An operation takes one body schema, whose parameter name Django Ninja puts after "body";
    an empty name means the body as a whole.
    """
    parts = list(location)
    source = parts.pop(0) if parts and parts[0] in _SOURCES else None
    if source == "body" and parts:
        parts.pop(0)
    return ".".join(str(part) for part in parts)


def _validation_fields(error: DjangoValidationError) -> tuple[list[str], list[tuple[str, str]]]:
    """The messages that belong to no field, and those of each field."""
    if not hasattr(error, "error_dict"):
        return [str(message) for message in error.messages], []
    general: list[str] = []
    fields: list[tuple[str, str]] = []
    for name, errors in error.error_dict.items():
        messages = [str(message) for item in errors for message in item.messages]
        if name == NON_FIELD_ERRORS:
            general.extend(messages)
        else:
            fields.extend((name, message) for message in messages)
    return general, fields


# The handlers -----------------------------------------------------------------------------------
_CODES = {400: "bad_request", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 422: "validation_error", 429: "rate_limited"}  # fmt: skip


def _default_message(status: int) -> str:
    messages = {
        400: _("The request could not be read. Send a valid JSON body and well-formed parameters."),
        401: _("Log in, or send a valid API token in the Authorization header: Bearer pvd_…"),
        403: _("You do not have permission to do this."),
        404: _("This was not found, or it is out of your reach."),
        405: _("This address does not accept this method."),
        409: _("This conflicts with the current state of the records."),
        422: _("Some of the values sent are not valid."),
        429: _("Too many requests. Wait a little and try again."),
    }
    return messages.get(status, _("Something went wrong on the server. It has been logged; try again later."))


def _on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.message, exc.fields)


def _on_request_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = [(_input_name(error.get("loc", ())), _input_message(error)) for error in exc.errors]
    return error_response(422, "validation_error", _default_message(422), fields)


def _on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    general, fields = _validation_fields(exc)
    return error_response(422, "validation_error", " ".join(general) or _default_message(422), fields)


def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # PermissionDenied raised with a message carries a translated explanation.
    return error_response(403, "permission_denied", str(exc) or _default_message(403))


def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(404, "not_found", _default_message(404))


def _on_invalid_cursor(request: HttpRequest, exc: InvalidCursor) -> HttpResponse:
    message = _("This cursor is not valid here. Start again from the first page.")
    return error_response(400, "bad_request", message, [("cursor", message)])


def _rate_limited(wait: float | None) -> HttpResponse:
    if wait is None:
        return error_response(429, "rate_limited", _default_message(429))
    seconds = max(1, math.ceil(wait))
    response = error_response(
        429, "rate_limited", _("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": seconds}
    )
    response["Retry-After"] = str(seconds)
    return response


def _on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return _rate_limited(exc.wait)


def _on_not_authenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    # Failed logins spend the budget of the address they come from, so guessing tokens is slow.
    throttle = ApiRateThrottle()
    if not throttle.allow_request(request):
        return _rate_limited(throttle.wait())
    message = exc.message if isinstance(exc, NotAuthenticatedError) else _default_message(401)
    response = error_response(401, "not_authenticated", message)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Django Ninja's own errors carry untranslated English text; ours replaces it.
    return error_response(
        exc.status_code, _CODES.get(exc.status_code, "bad_request"), _default_message(exc.status_code)
    )


def _on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    logger.warning("Integrity error answered as a conflict: %s", exc)
    return error_response(409, "conflict", _("A record with these values already exists, or one it refers to is gone."))


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected error in %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "server_error", _default_message(500))


def install_error_handlers(api: NinjaAPI, *, conflicts: Mapping[type[Exception], str | Promise] | None = None) -> None:
    """Answer every error of ``api`` in the one format.

    ``conflicts`` maps domain exceptions (a cycle in the team tree) to the translated message of a
    409 answer; each app offers its own.
    """
    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (Exception, _on_unexpected),
        (ApiError, _on_api_error),
        (NinjaValidationError, _on_request_validation),
        (DjangoValidationError, _on_django_validation),
        (PermissionDenied, _on_permission_denied),
        (Http404, _on_not_found),
        (InvalidCursor, _on_invalid_cursor),
        (HttpError, _on_http_error),
        (AuthenticationError, _on_not_authenticated),
        (Throttled, _on_throttled),
        (IntegrityError, _on_integrity_error),
    ]
    for exception_class, handler in handlers:
        api.add_exception_handler(exception_class, handler)
    for exception_class, message in (conflicts or {}).items():
        api.add_exception_handler(exception_class, _conflict_handler(message))


def _conflict_handler(message: str | Promise) -> Callable[[HttpRequest, Any], HttpResponse]:
    def handle(request: HttpRequest, exc: Any) -> HttpResponse:
        return error_response(409, "conflict", str(message))

    return handle


class PeyvandAPI(NinjaAPI):
    """A NinjaAPI whose unknown addresses and refused methods also answer in the error format.

    Operation ids are the functions' names (``user_list``), unique by the ``<entity>_<verb>`` rule.
    """

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _answer_errors_as_json(pattern.callback)
        patterns.append(re_path(r"^.*$", _answer_errors_as_json(_unknown_address), name="unknown"))
        return patterns, app_name, namespace


def _unknown_address(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def _answer_errors_as_json(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error_response(404, "not_found", _default_message(404))
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = error_response(405, "method_not_allowed", _default_message(405))
            response["Allow"] = allowed
        return response

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # Django Ninja checks CSRF itself
    return wrapper


# Keyset pages -----------------------------------------------------------------------------------
class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=settings.API_PAGE_SIZE_MAX, description="How many items to return.")
    cursor: str | None = Field(
        None, description="`next_cursor` of the previous page; leave out for the first page.", max_length=2000
    )


class PageOut(Schema, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


def paginate(queryset: models.QuerySet[ModelT], *, ordering: str, page: PageQuery) -> Page[ModelT]:
    """One keyset page of ``queryset`` (a damaged or foreign cursor is answered with 400)."""
    return keyset_page(queryset, ordering=ordering, cursor=page.cursor, limit=page.limit)


# Rate limit -------------------------------------------------------------------------------------
class ApiRateThrottle(AuthRateThrottle):
    """``settings.API_RATE_LIMIT`` per token, per user for a session, per address otherwise.

    Django Ninja keeps one throttle object for all requests; the state of a request stays in
    locals (and the thread) so that concurrent requests cannot mix up their budgets.
    """

    scope = "api"
    clock = staticmethod(time.time)

    def __init__(self) -> None:
        self._state = threading.local()
        super().__init__(rate=settings.API_RATE_LIMIT)

    def get_ident(self, request: HttpRequest) -> str | None:
        # X-Forwarded-For is believed only behind NUM_PROXIES proxies, so that a client cannot
        # claim a fresh address for a fresh budget.
        return client_address(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        auth = getattr(request, "auth", None)
        if isinstance(auth, AbstractBaseUser):
            ident = f"user:{auth.pk}"
        elif auth is not None:
            ident = str(auth)  # an ApiToken: "token:<id>"
        else:
            ident = f"address:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: HttpRequest) -> bool:
        # Read on every request, so that a changed setting applies without a restart of the object.
        allowed, period = self.parse_rate(settings.API_RATE_LIMIT)
        assert allowed is not None
        assert period is not None
        key = self.get_cache_key(request)
        now = self.clock()
        history = [moment for moment in cache.get(key, []) if moment > now - period]
        if len(history) >= allowed:
            self._state.wait = period - (now - history[-1])
            return False
        cache.set(key, [now, *history], period)
        self._state.wait = None
        return True

    def wait(self) -> float | None:
        return getattr(self._state, "wait", None)
