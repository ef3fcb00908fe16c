"""gunicorn settings for `make serve` (production mode) and for the benchmark and load test.

Everything can be changed from the environment: GUNICORN_BIND (default 127.0.0.1:8000; put a TLS-terminating
proxy in front, which sends X-Forwarded-Proto), WEB_CONCURRENCY (workers, default 2 per core + 1),
GUNICORN_THREADS, GUNICORN_TIMEOUT. Access and error logs go to stdout, like Django's.
"""

import multiprocessing
import os

wsgi_app = "strategy_tracker.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound.
# The app is loaded once, in the master, before the workers fork: a worker replaced after max_requests starts in
# milliseconds instead of importing Django again (about a second, during which its share of requests waited:
# the 1 s p99 of `make bench`). Nothing connects at import time (the database and Redis connect on first use).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes", "on"}
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

# Forwarded headers are trusted only from the local proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# No shared control socket in the home folder: several instances (tests, bench) may run side by side.
control_socket_disable = True

accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "true").lower() in {"1", "true", "yes", "on"} else None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s [%(process)d] %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "plain"}},
    "root": {"level": "WARNING", "handlers": []},  # Django configures its own (settings.LOGGING)
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}


def pre_fork(server, worker):
    """Before each worker forks from the preloaded master: move every object the master holds into the garbage
    collector's permanent generation (gc.freeze, as Python's gc documentation advises before fork() without
    exec()). A new worker's collections then never walk the inherited heap, which wrote to every page of it
    (copy on write) and stalled the requests queued on that worker: under wrk each replacement after
    max_requests showed as a p99 of 700-800 ms; with the freeze, 17-77 ms (`make bench`)."""
    import gc

    gc.freeze()
