"""Placeholder until written: every view answers 404."""
from django.http import Http404, HttpRequest, HttpResponse


def password_change_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def preferences_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def token_list_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def token_revoke_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def two_factor_disable_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def two_factor_setup_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404

