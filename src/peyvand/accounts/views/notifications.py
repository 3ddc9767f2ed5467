"""Placeholder until written: every view answers 404."""
from django.http import Http404, HttpRequest, HttpResponse


def notification_bell_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def notification_list_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def notification_mark_read_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404

