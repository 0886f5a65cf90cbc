"""docker-compose.yml, the Dockerfile and the Procfile name only things that exist.

Every command they run is resolved the way its program would resolve it (the
WSGI callable gunicorn imports, the Celery app `-A` finds, the management
command, the `-m` module and its options), and every queue a task is routed to
is consumed by the worker each of them starts.
"""

import importlib
import importlib.util
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from celery import Celery
from celery.app.utils import find_app
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text()
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES = COMPOSE["services"]
DJANGO_SERVICES = ["migrate", "web", "worker", "beat"]
# What dev.py exports to the Procfile's processes (ports as honcho sets them).
PROCFILE_ENVIRONMENT = {
    "HOST": "127.0.0.1",
    "PORT": "8000",
    "SIMULATOR_PORT": "8100",
    "VAR_DIR": "/tmp/var",
}


def parse_procfile():
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if match:
            command = re.sub(r"\$(\w+)", lambda m: PROCFILE_ENVIRONMENT[m[1]], match[2])
            entries[match[1]] = shlex.split(command)
    return entries


def dockerfile_cmd():
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            return json.loads(line.removeprefix("CMD "))
    raise AssertionError("the Dockerfile has no CMD")


def as_argv(command):
    return shlex.split(command) if isinstance(command, str) else list(command)


def every_command():
    # Only our image's commands: postgres and redis run their official images.
    commands = [
        (f"compose {name}", as_argv(service["command"]))
        for name, service in SERVICES.items()
        if "command" in service and "build" in service
    ]
    commands += [(f"Procfile {name}", argv) for name, argv in parse_procfile().items()]
    commands.append(("Dockerfile CMD", dockerfile_cmd()))
    return commands


def celery_app():
    app = find_app("config")
    app.loader.import_default_modules()
    return app


def routed_queues(app):
    """Return the queue of every task the project registers, plus the default queue."""
    queues = {app.conf.task_default_queue}
    for name in app.tasks:
        if not name.startswith("celery."):
            queues.add(app.amqp.router.route({}, name, args=(), kwargs={})["queue"].name)
    return queues


def option_value(args, *flags):
    for index, arg in enumerate(args):
        if arg in flags:
            return args[index + 1]
        for flag in flags:
            if flag.startswith("--") and arg.startswith(flag + "="):
                return arg.split("=", 1)[1]
    return None


def check_module_cli(module, args):
    """The module runs with -m, and accepts every option the command passes."""
    assert importlib.util.find_spec(f"{module}.__main__") or importlib.util.find_spec(module)
    result = subprocess.run(
        [sys.executable, "-m", module, *args, "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for flag in (arg.split("=")[0] for arg in args if arg.startswith("--")):
        assert flag in result.stdout, f"python -m {module} has no option {flag}"


def check_gunicorn(args):
    assert importlib.util.find_spec("gunicorn"), "gunicorn is not installed"
    module, _, attribute = args[0].partition(":")
    application = getattr(importlib.import_module(module), attribute or "application")
    assert callable(application)


def check_celery(args, app):
    assert isinstance(find_app(option_value(args, "-A", "--app")), Celery)
    if "worker" in args:
        consumed = set(option_value(args, "-Q", "--queues").split(","))
        routed = routed_queues(app)
        assert consumed == routed, f"the worker consumes {consumed}; tasks go to {routed}"
    else:
        assert "beat" in args


def check_command(argv, app):
    program, *args = argv
    if program == "python" and args[0] == "-m":
        check_module_cli(args[1], args[2:])
    elif program == "python" and args[0] == "manage.py":
        assert (ROOT / "manage.py").is_file()
        assert args[1] in get_commands(), f"manage.py has no command {args[1]}"
    elif program == "gunicorn":
        check_gunicorn(args)
    elif program == "celery":
        check_celery(args, app)
    else:
        pytest.fail(f"no check for the program {program!r}: teach this test about it")


@pytest.mark.parametrize("where,argv", every_command(), ids=[w for w, _ in every_command()])
def test_every_command_names_something_that_exists(where, argv):
    check_command(argv, celery_app())


def test_the_production_shape_has_every_service():
    assert {"postgres", "redis", "web", "worker", "beat", "simulator"} <= set(SERVICES)
    assert as_argv(SERVICES["web"]["command"])[0] == "gunicorn"


def test_every_long_running_service_restarts_and_has_a_healthcheck():
    # A worker that exits (say, on a broker loss) comes back without anyone watching.
    for name, service in SERVICES.items():
        if name == "migrate":
            assert service["restart"] == "no"  # runs once, then the others start
            continue
        assert service.get("restart") in {"always", "unless-stopped"}, f"{name} stays down"
        test = service.get("healthcheck", {}).get("test")
        assert test and test[0] in {"CMD", "CMD-SHELL"}, f"{name} has no healthcheck"


def test_the_django_service_is_defined_once_and_reused():
    django = COMPOSE["x-django"]
    for name in DJANGO_SERVICES:
        services_text = COMPOSE_TEXT.split("\nservices:\n", 1)[1]
        block = re.search(rf"^  {name}:\n((?:    .*\n|\n)+)", services_text, re.MULTILINE)
        assert block and "<<: *django" in block[1], f"{name} does not reuse x-django"
        # A service may add to the definition (migrate runs once, web waits for
        # migrate) but runs the same image with the same environment.
        for key in ("build", "image", "env_file", "environment"):
            assert SERVICES[name][key] == django[key], f"{name} changes {key}"
        assert set(django["depends_on"]) <= set(SERVICES[name]["depends_on"])


def test_every_image_is_built_from_the_dockerfile():
    for name, service in SERVICES.items():
        if "build" in service:
            assert (ROOT / service["build"] / "Dockerfile").is_file(), name
    copied = re.findall(r"^COPY (\S+) ", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    for source in copied:
        assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which is missing"


def test_every_scheduled_task_exists():
    app = celery_app()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


def env_example():
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


def test_the_env_example_sets_everything_compose_and_production_need():
    example = env_example()
    interpolated = set(re.findall(r"(?<!\$)\$\{(\w+)", COMPOSE_TEXT))
    required = {"DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_SALT", "DATABASE_URL", "REDIS_URL"}
    assert interpolated | required <= set(example)
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()
    # With only these values, the production settings load and pass Django's checks.
    environment = {"PATH": "/usr/bin:/bin", **example}
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
