"""Gunicorn settings for Peyvand in production (see docs/deployment.md).

Started from the checkout by peyvand-web.service:

    .venv/bin/gunicorn --config deploy/gunicorn.conf.py

Anything here can be overridden on the command line or with GUNICORN_CMD_ARGS, for example
GUNICORN_CMD_ARGS="--bind 127.0.0.1:8001 --workers 4".
"""

import multiprocessing
import os

wsgi_app = "peyvand.wsgi:application"
proc_name = "peyvand-web"

# nginx in front, on the same machine. Gunicorn is never exposed to browsers directly.
bind = "127.0.0.1:8000"

# Two workers per core plus one, capped: each sync worker holds one request at a time and one
# database connection. WEB_CONCURRENCY overrides the count.
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or min(2 * multiprocessing.cpu_count() + 1, 12)
worker_class = "sync"

# A page that needs more than a minute belongs in a background task; nginx waits a little longer
# (proxy_read_timeout 75s) so that Gunicorn's timeout is the one that fires and is logged.
timeout = 60
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so that slow memory growth never accumulates.
max_requests = 2000
max_requests_jitter = 200

# nginx on this machine sets X-Forwarded-Proto; Gunicorn trusts it only from these addresses.
forwarded_allow_ips = "127.0.0.1,::1"

# Logs go to standard output and error, which systemd keeps in the journal
# (journalctl -u peyvand-web). The access log shows the client address nginx forwarded and the
# time each request took in milliseconds.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# systemd gives the unit a runtime directory on a memory file system (/run/peyvand-web): the
# workers' heartbeat files go there, so that a slow disk never stalls a worker, and so does the
# control socket for gunicornc. Started by hand, without one, no control socket is made.
_runtime_directory = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
if _runtime_directory:
    worker_tmp_dir = _runtime_directory
    control_socket = os.path.join(_runtime_directory, "gunicorn.ctl")
else:
    control_socket_disable = True


def post_worker_init(worker: object) -> None:
    """Move everything loaded at start-up out of the garbage collector's sight.

    Django, the app and its templates leave about 100,000 long-lived objects; without this, each
    full collection walks them all and an unlucky request waits 50-70 ms for it (seen as the user
    list's p99 in docs/benchmarks.md). Frozen, a full collection only walks what requests made.
    """
    import gc

    gc.collect()
    gc.freeze()
