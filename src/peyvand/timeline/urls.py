from django.urls import path

from peyvand.timeline import views

app_name = "timeline"

urlpatterns = [
    path("parties/<int:party_id>/", views.party_timeline_view, name="party_timeline"),
    path("parties/<int:party_id>/log/", views.interaction_create_view, name="interaction_create"),
    path("interactions/<int:pk>/", views.interaction_detail_view, name="interaction_detail"),
    path("interactions/<int:pk>/edit/", views.interaction_edit_view, name="interaction_edit"),
    path("interactions/<int:pk>/delete/", views.interaction_delete_view, name="interaction_delete"),
    path("channels/", views.channel_list_view, name="channel_list"),
    path("channels/new/", views.channel_create_view, name="channel_create"),
    path("channels/<int:pk>/edit/", views.channel_edit_view, name="channel_edit"),
]
