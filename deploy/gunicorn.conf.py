"""gunicorn settings for gongkai (used by deploy/gongkai-web.service: gunicorn -c deploy/gunicorn.conf.py gongkai.wsgi).

Behind nginx on the same machine: listen on loopback only. gongkai writes its own request line
(JSON, with the request id and the user id, never a query string: gongkai.operations.logs), so
gunicorn's access log stays off; its error log goes to stderr, i.e. the journal.
"""

import multiprocessing
import os

bind = os.environ.get("GONGKAI_BIND", "127.0.0.1:8000")
# sync workers: every request is short except the PDF/Word renderings, which are CPU-bound
workers = int(os.environ.get("GONGKAI_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
timeout = int(os.environ.get("GONGKAI_WEB_TIMEOUT", "120"))  # an annual report's PDF on a slow machine
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (WeasyPrint and pdfminer keep memory)
max_requests_jitter = 200
# X-Forwarded-Proto is believed only from nginx on this machine
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GONGKAI_LOG_LEVEL", "info").lower()
# gunicorn's runtime control socket would go to $HOME/.gunicorn (the service account has no home
# worth writing to, and ProtectHome=yes); nothing of gongkai uses it
control_socket_disable = True
