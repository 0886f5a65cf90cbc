"""A container's healthcheck: ask this host's web process for /healthz (or another path).

    python -m operations.probe [--path /healthz] [--port 8000]

Exit 0 on a 200, 1 otherwise. It sends the Host the site answers to (the first of
DJANGO_ALLOWED_HOSTS) and X-Forwarded-Proto: https, as the TLS proxy in front does,
so the production settings neither refuse the host nor redirect to HTTPS. Only the
standard library: it runs beside gunicorn, without loading Django.
"""

import argparse
import os
import sys
import urllib.error
import urllib.request


def probe_host() -> str:
    first = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
    if first in ("", "*"):
        return "localhost"
    return "probe" + first if first.startswith(".") else first


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/healthz")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--timeout", type=float, default=3.0)
    options = parser.parse_args(argv)
    request = urllib.request.Request(
        f"http://127.0.0.1:{options.port}{options.path}",
        headers={"Host": probe_host(), "X-Forwarded-Proto": "https"},
    )
    try:
        with urllib.request.urlopen(request, timeout=options.timeout) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"{options.path}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
