from django.urls import path

from peyvand.activities.calendar import feed_views, views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("activities/<int:pk>/move/", views.activity_move_view, name="activity_move"),
    path("meetings/<int:pk>/invitation.ics", feed_views.meeting_invitation_view, name="meeting_invitation"),
    path("holidays/", views.holiday_upload_view, name="holidays"),
    path("feed/new/", feed_views.feed_token_create_view, name="feed_create"),
    path("feed/revoke/", feed_views.feed_token_revoke_view, name="feed_revoke"),
    path("feed/<str:token>.ics", feed_views.feed_view, name="feed"),
]
