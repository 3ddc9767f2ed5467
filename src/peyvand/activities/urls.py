from django.urls import path

from peyvand.activities import views
from peyvand.activities.reports import urls as report_urls

app_name = "activities"

urlpatterns = [
    path("", views.activity_list_view, name="activity_list"),
    path("new/", views.activity_create_view, name="activity_create"),
    path("<int:pk>/", views.activity_detail_view, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit_view, name="activity_edit"),
    path("<int:pk>/complete/", views.activity_complete_view, name="activity_complete"),
    path("<int:pk>/reopen/", views.activity_reopen_view, name="activity_reopen"),
    path("<int:pk>/cancel/", views.activity_cancel_view, name="activity_cancel"),
    path("<int:pk>/delete/", views.activity_delete_view, name="activity_delete"),
    path("<int:pk>/reminder/snooze/", views.reminder_snooze_view, name="reminder_snooze"),
    path("customers/<int:party_id>/", views.party_panel_view, name="party_panel"),
    path("customers/<int:party_id>/new/", views.party_create_view, name="party_create"),
    *report_urls.urlpatterns,
]
