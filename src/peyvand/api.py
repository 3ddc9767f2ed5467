"""The HTTP API under /api/v1/: one NinjaAPI, a router per app."""

from peyvand.accounts import api as accounts_api
from peyvand.activities import api as activities_api
from peyvand.activities.workflow import api as workflow_api
from peyvand.common.api import ApiRateThrottle, PeyvandAPI, install_error_handlers
from peyvand.contacts import api as contacts_api
from peyvand.timeline import api as timeline_api

DESCRIPTION = """
Peyvand's HTTP API. Everything the web pages do goes through the same rules here: you see and
change exactly what your roles allow.

**Authentication.** Send an API token, `Authorization: Bearer pvd_<prefix>_<secret>`, created under
*Profile → API tokens* or with `POST /api/v1/tokens`. A token acts as its user; a token narrowed to
some actions may do only those. Within the web session (the `sessionid` cookie) requests that change
something must also send the `X-CSRFToken` header.

**Errors.** Every error has the same body:
`{"error": {"code": "validation_error", "message": "…", "fields": [{"field": "email", "message": "…"}]}}`.
`code` is one of `validation_error` (422), `bad_request` (400), `not_authenticated` (401),
`permission_denied` (403), `not_found` (404), `method_not_allowed` (405), `conflict` (409),
`rate_limited` (429, with a `Retry-After` header) and `server_error` (500). Messages are in the
user's language, or for a request without a user in the one `Accept-Language` asks for.

**Lists** are pages: pass `limit` (at most 200) and the `next_cursor` of the previous page as
`cursor`; `next_cursor` is null on the last page.

**Rate limit.** Each token, each session user and each address without credentials has its own
budget of requests per minute (`API_RATE_LIMIT`).
"""

api = PeyvandAPI(
    title="Peyvand API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api",
    auth=accounts_api.api_auth,
    throttle=[ApiRateThrottle()],
)
install_error_handlers(
    api,
    conflicts={
        **accounts_api.CONFLICTS,
        **contacts_api.CONFLICTS,
        **activities_api.CONFLICTS,
        **workflow_api.CONFLICTS,
    },
)
api.add_router("/", accounts_api.router)
api.add_router("/", contacts_api.router)
api.add_router("/", timeline_api.router)
api.add_router("/", activities_api.router)
api.add_router("/", workflow_api.router)
