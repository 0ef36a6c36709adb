"""Production settings for gunicorn, read automatically by ``gunicorn wsgi:app`` when started
from this directory (README, "Performance"). Each value can be changed by environment variable.

The application is CPU-bound (templates, Python): one worker process per core carries the
load, and a few threads per worker overlap the waits on the database and on slow clients.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Keep-alive connections from the reverse proxy stay open between requests.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = 30
graceful_timeout = 30
# Recycle workers now and then: a slow leak in any library cannot grow without bound.
max_requests = 20_000
max_requests_jitter = 2_000
# The reverse proxy writes the access log; set GUNICORN_ACCESSLOG=- to have gunicorn do it too.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
