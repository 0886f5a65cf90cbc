"""The Grafana dashboard and the Prometheus rules under deploy/ name only metrics we serve."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from operations.metrics import web_exposition

pytestmark = pytest.mark.django_db

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
METRIC = re.compile(r"\b((?:nce|django)_[a-z_]+)\b")
SUFFIXES = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"], "gauge": [""]}


def served_names() -> set:
    Client().get("/healthz")  # django-prometheus registers its metrics with the first request
    body, _ = web_exposition()
    names = set()
    for family in text_string_to_metric_families(body.decode()):
        names |= {family.name + suffix for suffix in SUFFIXES.get(family.type, [""])}
    return names


def alert_rules() -> list:
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    return [rule for group in rules["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list:
    dashboard = json.loads((DEPLOY / "grafana" / "nce-orders.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def test_the_alerts_the_issue_asks_for_exist():
    names = {rule["alert"] for rule in alert_rules()}
    assert {
        "NceOrdersStuck",
        "NceUpstreamBudgetNearLimit",
        "NceWorkerMissing",
        "NceWebhookEndpointDisabled",
    } <= names


def test_every_metric_in_the_rules_and_the_dashboard_is_served():
    served = served_names()
    named = set()
    for expression in [rule["expr"] for rule in alert_rules()] + dashboard_expressions():
        named |= set(METRIC.findall(expression))
    assert named, "no metric found in deploy/"
    assert named <= served, f"not served: {sorted(named - served)}"


def test_prometheus_scrapes_web_and_every_worker_with_the_token():
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == {"nce-web", "nce-worker"}
    assert all("credentials_file" in job["authorization"] for job in jobs.values())
    assert jobs["nce-worker"]["dns_sd_configs"][0]["port"] == 9808
