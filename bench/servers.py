"""The HTTP servers of the load test, each a context manager on a loopback port.

* :func:`gunicorn` — epistola as in production: ``gunicorn 'server:create_app()'``
  with ``EPISTOLA_BUILD`` in the environment (server code untouched);
* :func:`granian` — the same app under granian's WSGI interface
  (``granian --interface wsgi --factory 'server:create_app'``);
* :func:`epistola` — either of the two, from a configuration string
  (``"-w 2 --threads 8 -k gthread"``, ``"gunicorn: …"`` or ``"granian: --workers 2 …"``);
* :func:`nginx` — the same bytes as static files (the physical limit);
* :func:`oxigraph` — Oxigraph server, read-only, answering SPARQL ``DESCRIBE``.

Every process is started here and stopped here, by its own process id.
"""
from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent          # the project's virtualenv runs the benchmark


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    """Poll ``url`` until it answers 200, or fail with the server's log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}); log:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready after {timeout}s; log:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def _running(cmd: list[str], ready_url: str, log: Path, env: dict | None = None,
             stop=signal.SIGTERM) -> Iterator[subprocess.Popen]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, **(env or {})})
    try:
        _wait_ready(ready_url, proc, log)
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(stop)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def gunicorn(build: Path, port: int, args: list[str], ready_path: str, logs: Path,
             env: dict | None = None):
    """epistola under gunicorn with worker options ``args`` (e.g. ``-w 2 --threads 8 -k gthread``)."""
    cmd = [str(VENV_BIN / "gunicorn"), *args, "-b", f"127.0.0.1:{port}", "--backlog", "2048",
           "--log-level", "warning", "--control-socket", str(logs / f"gunicorn-{port}.ctl"),
           "server:create_app()"]
    return _running(cmd, f"http://127.0.0.1:{port}{ready_path}", logs / f"gunicorn-{port}.log",
                    env={"EPISTOLA_BUILD": str(build), **(env or {})})


def granian(build: Path, port: int, args: list[str], ready_path: str, logs: Path,
            env: dict | None = None):
    """epistola under granian (WSGI) with options ``args`` (e.g. ``--workers 2 --blocking-threads 4``)."""
    cmd = [str(VENV_BIN / "granian"), "--interface", "wsgi", "--factory", *args,
           "--host", "127.0.0.1", "--port", str(port), "--backlog", "2048", "--log-level", "warning",
           "server:create_app"]
    return _running(cmd, f"http://127.0.0.1:{port}{ready_path}", logs / f"granian-{port}.log",
                    env={"EPISTOLA_BUILD": str(build), **(env or {})})


SERVERS = {"gunicorn": gunicorn, "granian": granian}


def parse_config(config: str) -> tuple[str, list[str]]:
    """``"granian: --workers 2"`` → ``("granian", ["--workers", "2"])``; no prefix means gunicorn."""
    name, sep, rest = config.partition(":")
    if sep and name.strip() in SERVERS:
        return name.strip(), rest.split()
    return "gunicorn", config.split()


def config_label(config: str) -> str:
    """The configuration as reported: server name and its options, e.g. ``gunicorn -w 2 -k gthread``."""
    name, args = parse_config(config)
    return " ".join([name, *args])


def epistola(build: Path, port: int, config: str, ready_path: str, logs: Path, env: dict | None = None):
    """epistola under the WSGI server a configuration string names (see :func:`parse_config`)."""
    name, args = parse_config(config)
    return SERVERS[name](build, port, args, ready_path, logs, env)


NGINX_CONF = """\
worker_processes {workers};
user root;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    types {{ text/turtle ttl; application/ld+json jsonld; }}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    open_file_cache max={cached_fds} inactive=60s;
    client_body_temp_path {prefix}/tmp; proxy_temp_path {prefix}/tmp;
    fastcgi_temp_path {prefix}/tmp; uwsgi_temp_path {prefix}/tmp; scgi_temp_path {prefix}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files $uri =404; }}
    }}
}}
"""


def nginx(root: Path, port: int, ready_path: str, prefix: Path, workers: int = 2):
    """nginx serving ``root`` (files laid out as the URL paths) as static files."""
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "tmp").mkdir(exist_ok=True)
    conf = prefix / "nginx.conf"
    # Cached descriptors stay open: keep every worker well inside the open-files limit.
    cached_fds = max(64, min(50000, resource.getrlimit(resource.RLIMIT_NOFILE)[0] // (2 * workers)))
    conf.write_text(NGINX_CONF.format(workers=workers, prefix=prefix.resolve(), port=port,
                                      root=root.resolve(), cached_fds=cached_fds))
    cmd = ["nginx", "-p", str(prefix.resolve()), "-c", str(conf.resolve()), "-g", "daemon off;"]
    return _running(cmd, f"http://127.0.0.1:{port}{ready_path}", prefix / "stdout.log",
                    stop=signal.SIGQUIT)


def oxigraph(binary: Path, location: Path, port: int, ready_path: str, logs: Path):
    """``oxigraph serve-read-only`` over a loaded (and optimized) database directory."""
    cmd = [str(binary), "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    return _running(cmd, f"http://127.0.0.1:{port}{ready_path}", logs / f"oxigraph-{port}.log")
