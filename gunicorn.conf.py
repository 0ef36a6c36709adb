"""Production settings for gunicorn, read automatically by ``gunicorn wsgi:app`` when started
from this directory (README, "Performance"). Each value can be changed by environment variable.

The application is CPU-bound (templates, Python): one worker process per core carries the
load, and a few threads per worker overlap the waits on the database and on slow clients.
"""

import multiprocessing
import os

from gunicorn.http import wsgi as _gunicorn_wsgi

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Keep-alive connections from the reverse proxy stay open between requests, but an idle one is
# closed after a few seconds so it cannot hold a thread (README, "Production": the buffering
# proxy in front is what protects the threads from clients that send or read slowly).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker silent for this long (a request stuck in a call that never returns) is killed and
# replaced; the slowest page takes well under a second.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On restart, requests in flight get this long to finish before their worker is stopped.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# Requests with huge header lines or too many headers are refused before they reach a thread.
limit_request_line = 8190
limit_request_fields = 100
# Recycle workers now and then: a slow leak in any library cannot grow without bound.
max_requests = 20_000
max_requests_jitter = 2_000
# The reverse proxy writes the access log; set GUNICORN_ACCESSLOG=- to have gunicorn do it too.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


# No "Server: gunicorn" header: it tells a scanner which server (and so which known bugs) to
# try. gunicorn always writes the header itself, so the line is dropped where it is made.
_default_headers = _gunicorn_wsgi.Response.default_headers


def _headers_without_server(self):
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


if getattr(_default_headers, "__name__", "") != "_headers_without_server":
    _gunicorn_wsgi.Response.default_headers = _headers_without_server
