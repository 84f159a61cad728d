"""The HTTP side: a Flask app over one finished build (read-only, no corpus parsing).

    from server import create_app
    app = create_app({"BUILD": "build"})

For production, gunicorn calls the factory: ``gunicorn 'server:create_app()'``.
"""
from __future__ import annotations


from flask import Flask

from .config import DEFAULTS
from .fastpath import ResponseCache


def create_app(config: dict | None = None) -> Flask:
    """Build the app: defaults → ``EPISTOLA_*`` environment → ``config``; open the build."""
    from . import dataset, errors, headers, oai, resources, sparql
    from .publisher import Current

    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("EPISTOLA")
    app.config.update(config or {})
    current = Current(app.config["BUILD"], app.config, float(app.config["RELOAD_INTERVAL"]))
    app.extensions["epistola"] = current
    app.config["BASE_URI"] = current.publisher.base
    app.register_blueprint(resources.bp)
    app.register_blueprint(dataset.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(oai.bp)
    app.before_request(headers.preflight)
    app.after_request(headers.add_cors)
    errors.init_app(app)
    app.wsgi_app = ResponseCache(app.wsgi_app, current, int(app.config["CACHE_SIZE"]))
    return app
