"""Run the simulator as its own process:

python -m simulator --host 127.0.0.1 --port 8100 [--state PATH] [--profile demo|test]
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from werkzeug.serving import make_server

from .app import create_app
from .config import config_for_profile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Marketplace API simulator"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--state", default=None, help="SQLite file keeping state across restarts")
    parser.add_argument("--profile", choices=["demo", "test"], default="demo")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s simulator %(message)s")
    config = config_for_profile(args.profile, state_path=args.state)
    app = create_app(config)
    # werkzeug's threaded server hands the app its socket, which lets a scripted failure
    # drop the connection after the request was served (waitress does not expose it).
    server = make_server(args.host, args.port, app, threaded=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(
        f"Simulator ({args.profile}) listening on http://{args.host}:{server.server_port}"
        f"/marketplace/eu",
        flush=True,
    )
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
