"""The Flask application: create_app(config) builds one simulator with its own state."""

from __future__ import annotations

import logging

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from . import errors
from .config import SimulatorConfig, config_for_profile
from .errors import ApiError
from .requestlog import RequestLog, RequestLogMiddleware
from .state import State
from .wsgi import FailureMiddleware

log = logging.getLogger(__name__)


def create_app(config: SimulatorConfig | None = None) -> Flask:
    """Return a simulator app with fresh (seeded, or loaded from config.state_path) state."""
    config = config or config_for_profile("test")
    app = Flask(__name__)
    app.json.sort_keys = False
    simulator = State(config)
    app.extensions["simulator"] = simulator

    from .routes import catalog, customers, orders, resellers, subscriptions, token  # noqa: F401
    from .routes.api import api
    from .routes.control import control
    from .routes.reports import files as report_files

    app.register_blueprint(api)
    app.register_blueprint(control)
    app.register_blueprint(report_files)

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        return errors.error_response(error.status, error.message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return errors.error_response(error.code or 500, error.description or error.name)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("Simulator error on %s %s", request.method, request.path)
        return errors.error_response(500, "Internal Server Error")

    @app.after_request
    def finish(response):
        response.headers["X-Correlation-ID"] = errors.correlation_id()
        if request.method != "GET" and not request.path.startswith("/_simulator"):
            simulator.save()
        return response

    app.wsgi_app = FailureMiddleware(app.wsgi_app, simulator)
    # Outermost, so a request's end time includes a scripted late answer.
    request_log = RequestLog()
    app.extensions["simulator_requests"] = request_log
    app.wsgi_app = RequestLogMiddleware(app.wsgi_app, request_log)
    return app
