"""Placeholder until written: every view answers 404."""
from django.http import Http404, HttpRequest, HttpResponse


def audit_export_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def audit_list_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def role_create_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def role_delete_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def role_edit_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def role_list_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def team_create_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def team_delete_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def team_edit_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def team_list_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def user_create_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def user_detail_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def user_edit_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def user_end_sessions_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def user_list_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def user_set_password_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404


def user_two_factor_reset_view(request: HttpRequest, pk: int = 0) -> HttpResponse:
    raise Http404

