"""A WSGI response cache in front of Flask for ``GET``/``HEAD /doc/…``.

A document's representations never change while a build is served, so a
complete ``200`` response (status, headers, body) can be replayed for the next
identical request without routing, negotiating or building headers again.
Requests with conditional or range headers go through Flask (which answers
304 or 206 itself); a newer build empties the cache.
"""
from __future__ import annotations

from .lru import LRU

_BYPASS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
           "HTTP_RANGE", "HTTP_IF_RANGE")


class ResponseCache:
    """Wraps a WSGI app; ``current.get()`` is the publisher of the build being served."""

    def __init__(self, app, current, size: int):
        self.app, self.current, self.size = app, current, size
        self._cache, self._publisher = LRU(size), None

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if method not in ("GET", "HEAD") or not path.startswith("/doc/") or \
                any(h in environ for h in _BYPASS):
            return self.app(environ, start_response)
        publisher = self.current.get()
        if publisher is not self._publisher:          # a new build: forget the old responses
            self._cache, self._publisher = LRU(self.size), publisher
        key = (method, path, environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT"))
        hit = self._cache.peek(key)
        if hit is not None:
            start_response(hit[0], list(hit[1]))
            return [hit[2]]
        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = b"".join(self.app(environ, capture))
        if captured and captured[0].startswith("200"):
            self._cache.put(key, (captured[0], tuple(captured[1]), body))
        return [body]
