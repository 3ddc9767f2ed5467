from django.urls import include, path
from django.views.generic import RedirectView

from peyvand.api import api
from peyvand.common import views as shell_views

handler403 = "peyvand.common.views.permission_denied"
handler404 = "peyvand.common.views.page_not_found"

urlpatterns = [
    path("", shell_views.home, name="home"),
    path("search/", shell_views.search, name="search"),
    path("accounts/", include("peyvand.accounts.urls")),
    path("contacts/", include("peyvand.contacts.urls")),
    path("timeline/", include("peyvand.timeline.urls")),
    path("activities/", include("peyvand.activities.urls")),
    path("calendar/", include("peyvand.activities.calendar.urls")),
    path("workflow/", include("peyvand.activities.workflow.urls")),
    path("api/v1/", api.urls),
    path("favicon.ico", RedirectView.as_view(url="/static/peyvand/img/logo.svg", permanent=True), name="favicon"),
]
