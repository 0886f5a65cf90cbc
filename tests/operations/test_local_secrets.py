"""The development secrets in var/: made once, the same for every process that starts at once.

`dev.py up` and the readiness tests start the web server, a worker and beat together on an
empty var/; each may find the secret missing. Reading a file another process is still writing
gave one of them an empty salt ("Set FIELD_ENCRYPTION_SALT in the environment") and it did not
start (seen once in CI, in tests/operations/test_readiness.py). The first test starts real
processes together; the window is too short to hit at will, so the second plays the lost race.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = "from config.settings import base; print(base.SECRET_KEY, base.SALT_KEY)"
PROCESSES = 8


def test_processes_started_together_share_one_secret_and_one_salt(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_SALT", "DJANGO_DEBUG"}
    }
    env["VAR_DIR"] = str(tmp_path / "var")
    started = [
        subprocess.Popen(
            [sys.executable, "-c", SHOW], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(PROCESSES)
    ]
    answers = [process.communicate(timeout=120)[0].split() for process in started]

    assert [process.returncode for process in started] == [0] * PROCESSES
    assert all(len(answer) == 2 and all(answer) for answer in answers)
    assert len({tuple(answer) for answer in answers}) == 1
    files = sorted(path.name for path in (tmp_path / "var").iterdir())
    assert files == ["field_salt", "secret_key"]  # no draft left behind
    assert all((tmp_path / "var" / name).stat().st_mode & 0o777 == 0o600 for name in files)


def test_a_process_that_loses_the_race_reads_the_winners_secret(tmp_path, monkeypatch):
    from config.settings import base

    monkeypatch.setattr(base, "VAR_DIR", tmp_path)
    real_link = os.link

    def another_process_links_first(source, target):
        Path(target).write_text("the-winners-secret")  # whole, as a link puts it there
        real_link(source, target)  # FileExistsError, as the loser gets it

    monkeypatch.setattr(os, "link", another_process_links_first)

    assert base.local_secret("field_salt") == "the-winners-secret"
    assert [path.name for path in tmp_path.iterdir()] == ["field_salt"]  # its draft is gone
