"""Keep the processes of `dev.py up` running: prefix their output, notice a death, restart.

A process that exits is named with its exit status (or the signal that
killed it) and the last lines it printed, then started again. One that dies
more than RESTART_LIMIT times within RESTART_WINDOW_SECONDS is not started
again: everything is stopped cleanly and `dev.py up` exits with an error.
Standard library only (dev.py imports this before anything is installed).
"""

import collections
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

from devsupport.services import _die_with_parent

RESTART_LIMIT = 3
RESTART_WINDOW_SECONDS = 600
STOP_GRACE_SECONDS = 8
TAIL_LINES = 12


def read_procfile(path):
    """Return {name: command} from a Procfile (`name: command` lines, # comments)."""
    commands = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        name, command = line.split(":", 1)
        commands[name.strip()] = command.strip()
    return commands


def describe_exit(returncode):
    if returncode is None:
        return "still running"
    if returncode < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-returncode).name}"
        return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


class Child:
    """One Procfile process, run by `sh -c "exec <command>"` in its own process group."""

    def __init__(self, name, command, *, cwd, env, width):
        self.name = name
        self.command = command
        self.cwd = cwd
        self.env = env
        self.prefix = f"{name:<{width}} | "
        self.tail = collections.deque(maxlen=TAIL_LINES)
        self.process = None
        self.reader = None

    def start(self):
        self.tail.clear()
        self.process = subprocess.Popen(
            ["/bin/sh", "-c", f"exec {self.command}"],
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self.reader = threading.Thread(target=self._copy_output, daemon=True)
        self.reader.start()

    def _copy_output(self):
        for raw in self.process.stdout:
            line = raw.decode(errors="replace").rstrip()
            self.tail.append(line)
            stamp = time.strftime("%H:%M:%S")
            sys.stdout.write(f"{stamp} {self.prefix}{line}\n")
            sys.stdout.flush()

    def returncode(self):
        return self.process.poll()

    def signal_group(self, signum):
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signum)

    def why(self):
        self.reader.join(timeout=2)  # let the last lines arrive
        lines = "\n".join(f"    {line}" for line in self.tail)
        return f"{describe_exit(self.process.returncode)}. Its last lines:\n{lines}"


class ServerChild:
    """A devsupport.services.Server (PostgreSQL, Redis) seen through the Child interface."""

    def __init__(self, server):
        self.server = server
        self.name = server.name

    def start(self):
        self.server.start()

    def returncode(self):
        return self.server.process.poll()

    def why(self):
        tail = "\n".join(f"    {line}" for line in self.server.log_tail(TAIL_LINES).splitlines())
        return f"{describe_exit(self.server.process.returncode)}. Its log ends:\n{tail}"


class Supervisor:
    """Run children, restart one that dies (within limits), stop all on request."""

    def __init__(self, *, servers, children, say):
        self.servers = [ServerChild(server) for server in servers]
        self.children = children
        self.say = say
        self.deaths = collections.defaultdict(collections.deque)
        self.failed = None

    def everyone(self):
        return self.servers + self.children

    def start_children(self):
        for child in self.children:
            child.start()

    def check(self):
        """Restart whatever died; return False once one died too often (then stop all)."""
        for child in self.everyone():
            returncode = child.returncode()
            if returncode is None:
                continue
            self.say(f"{child.name} stopped unexpectedly: {child.why()}")
            recent = self.deaths[child.name]
            now = time.monotonic()
            recent.append(now)
            while recent and now - recent[0] > RESTART_WINDOW_SECONDS:
                recent.popleft()
            if len(recent) > RESTART_LIMIT:
                self.failed = (
                    f"{child.name} died {len(recent)} times within "
                    f"{RESTART_WINDOW_SECONDS // 60} minutes; stopping everything."
                )
                self.say(self.failed)
                return False
            self.say(f"Starting {child.name} again ({len(recent)} restart(s) in the window).")
            try:
                child.start()
            except Exception as error:  # noqa: BLE001 - the operator reads this, then we stop
                self.failed = f"{child.name} could not be started again: {error}"
                self.say(self.failed)
                return False
        return True

    def any_dead(self):
        return any(child.returncode() is not None for child in self.everyone())

    def run(self, interval=0.5):
        """Supervise until one child dies too often; return 1 then."""
        while self.check():
            time.sleep(interval)
        return 1

    def stop(self):
        """SIGTERM the programs, SIGKILL what is left after the grace period, then the servers."""
        children = [child for child in self.children if child.process is not None]
        for child in children:
            child.signal_group(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children:
            try:
                child.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{child.name} did not stop within {STOP_GRACE_SECONDS} s; killing it.")
                child.signal_group(signal.SIGKILL)
                child.process.wait()
            # The group may outlive its leader (runserver's autoreloader child).
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.process.pid, signal.SIGKILL)
        for server in reversed(self.servers):
            server.server.stop()
