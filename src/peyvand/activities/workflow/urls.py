from django.urls import path

from peyvand.activities.workflow import views

app_name = "workflow"

urlpatterns = [
    path("approvals/", views.approval_list_view, name="approval_list"),
    path("approvals/new/", views.approval_create_view, name="approval_create"),
    path("approvals/<int:pk>/", views.approval_detail_view, name="approval_detail"),
    path("approvals/<int:pk>/decide/", views.approval_decide_view, name="approval_decide"),
    path("approvals/<int:pk>/withdraw/", views.approval_withdraw_view, name="approval_withdraw"),
    path("handoffs/", views.handoff_list_view, name="handoff_list"),
    path("handoffs/new/", views.handoff_create_view, name="handoff_create"),
    path("activities/<int:pk>/notes/", views.activity_note_create_view, name="activity_note_create"),
]
