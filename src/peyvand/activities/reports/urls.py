"""Added to ``activities/urls.py``'s patterns, so in the ``activities`` namespace: ``/activities/report/``."""

from django.urls import path

from peyvand.activities.reports import views

urlpatterns = [
    path("report/", views.report_view, name="report"),
]
