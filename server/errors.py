"""One error shape per surface: a readable page for browsers, plain text otherwise.

No traceback ever reaches a client: unexpected exceptions are logged and
answered with a 500 that says only that.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from graph.remote import RemoteError

from .headers import add_cors


def _wants_html() -> bool:
    return request.accept_mimetypes.best_match(["text/plain", "text/html"]) == "text/html"


def handle_http(error: HTTPException) -> Response:
    """Keep the status and headers of ``error``; give it a readable body."""
    response = error.get_response()
    response.vary.add("Accept")          # the body's form depends on Accept
    if _wants_html():
        response.set_data(render_template("error.html", code=error.code, name=error.name,
                                          description=error.description,
                                          base=current_app.config.get("BASE_URI", "/")))
        response.content_type = "text/html; charset=utf-8"
    else:
        response.set_data(f"{error.code} {error.name}: {error.description}\n")
        response.content_type = "text/plain; charset=utf-8"
    return add_cors(response)


def handle_unexpected(error: Exception) -> Response:
    """Log the bug; tell the client only that something went wrong here."""
    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http(InternalServerError("The server met an error it did not expect; "
                                           "it has been logged."))


def handle_store(error: RemoteError) -> Response:
    """The SPARQL store behind us failed: say so with its status (502/503), not a 500."""
    exc = HTTPException(error.message)
    exc.code, exc.description = error.status, error.message
    return handle_http(exc)


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(RemoteError, handle_store)
    app.register_error_handler(Exception, handle_unexpected)
