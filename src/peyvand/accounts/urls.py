from django.contrib.auth import views as auth_views
from django.urls import path

from peyvand.accounts.views import auth, mentions, notifications, profile
from peyvand.accounts.views.administration import audit, roles, teams, users

app_name = "accounts"

urlpatterns = [
    # Logging in and out
    path("login/", auth.login_view, name="login"),
    path("login/code/", auth.login_code_view, name="login_code"),
    path("logout/", auth.logout_view, name="logout"),
    path("language/", auth.set_language_view, name="set_language"),
    path("password-reset/", auth.PeyvandPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PeyvandPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    # The user's own account
    path("profile/", profile.preferences_view, name="profile"),
    path("password/", profile.password_change_view, name="password_change"),
    path("two-factor/", profile.two_factor_setup_view, name="two_factor_setup"),
    path("two-factor/disable/", profile.two_factor_disable_view, name="two_factor_disable"),
    path("tokens/", profile.token_list_view, name="token_list"),
    path("tokens/<int:pk>/revoke/", profile.token_revoke_view, name="token_revoke"),
    # Notifications
    path("mentions/", mentions.mention_users_view, name="mention_users"),
    path("notifications/", notifications.notification_list_view, name="notification_list"),
    path("notifications/bell/", notifications.notification_bell_view, name="notification_bell"),
    path("notifications/read/", notifications.notification_mark_read_view, name="notification_mark_read"),
    path("notifications/preferences/", notifications.notification_preferences_view, name="notification_preferences"),
    # Administration
    path("users/", users.user_list_view, name="user_list"),
    path("users/new/", users.user_create_view, name="user_create"),
    path("users/<int:pk>/", users.user_detail_view, name="user_detail"),
    path("users/<int:pk>/edit/", users.user_edit_view, name="user_edit"),
    path("users/<int:pk>/password/", users.user_set_password_view, name="user_set_password"),
    path("users/<int:pk>/sessions/end/", users.user_end_sessions_view, name="user_end_sessions"),
    path("users/<int:pk>/unlock/", users.user_unlock_view, name="user_unlock"),
    path("users/<int:pk>/two-factor/reset/", users.user_two_factor_reset_view, name="user_two_factor_reset"),
    path("teams/", teams.team_list_view, name="team_list"),
    path("teams/new/", teams.team_create_view, name="team_create"),
    path("teams/<int:pk>/edit/", teams.team_edit_view, name="team_edit"),
    path("teams/<int:pk>/delete/", teams.team_delete_view, name="team_delete"),
    path("roles/", roles.role_list_view, name="role_list"),
    path("roles/new/", roles.role_create_view, name="role_create"),
    path("roles/<int:pk>/edit/", roles.role_edit_view, name="role_edit"),
    path("roles/<int:pk>/delete/", roles.role_delete_view, name="role_delete"),
    path("audit/", audit.audit_list_view, name="audit_list"),
    path("audit/export/", audit.audit_export_view, name="audit_export"),
]
