"""Peyvand's settings for a measured server: production's, with the query counter moved first.

``QueryCountHeaderMiddleware`` counts the queries made inside it. Where Peyvand's settings list it
(last), it misses the session, the user and the permission profile, which the middleware before
it load; first in the list, it counts every query of the request. Nothing else differs.
"""

from peyvand.settings import *  # noqa: F403
from peyvand.settings import MIDDLEWARE as PEYVAND_MIDDLEWARE

QUERY_COUNTER = "peyvand.common.middleware.QueryCountHeaderMiddleware"
MIDDLEWARE = [QUERY_COUNTER, *(name for name in PEYVAND_MIDDLEWARE if name != QUERY_COUNTER)]
