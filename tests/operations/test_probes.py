"""The probes in-process: /healthz, /readyz's reuse of a fresh answer, /metrics' token."""

import pytest
from django.test import Client
from health_check.checks import Database

from operations import views

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_to_anyone():
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_a_burst_of_readyz_runs_the_checks_once(monkeypatch):
    runs = []

    def checks():
        runs.append(1)
        return {"database": Database()}

    monkeypatch.setattr(views, "readiness_checks", checks)
    monkeypatch.setattr(views, "_last_answer", None)
    answers = [Client().get("/readyz") for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    assert answers[-1].json()["checks"]["database"]["status"] == "ok"
    assert len(runs) == 1


def test_metrics_need_the_token_from_the_environment(settings):
    settings.OPERATIONS = {**settings.OPERATIONS, "METRICS_TOKEN": ""}
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403
    settings.OPERATIONS = {**settings.OPERATIONS, "METRICS_TOKEN": "s3cret-token"}
    assert Client().get("/metrics").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    answer = Client().get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert answer.status_code == 200
    assert b"nce_orders_in_flight" in answer.content
