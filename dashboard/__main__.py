"""`python -m dashboard [--host 127.0.0.1] [--port 8000] [--threads 4] [--trusted-proxy ADDR] [--dev]`.

Serves the dashboard with waitress, a production WSGI server (what `make run` and deploy/ use);
`--dev` uses werkzeug's development server instead, for local debugging only.
"""
from __future__ import annotations

import argparse
from typing import List, Optional
from urllib.parse import urlsplit

from core.logs import setup_logging
from core.settings import get_settings, load_dotenv

# Headers a trusted reverse proxy (nginx, deploy/README.md) sets: the client's address and scheme.
PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-proto"}


def main(argv: Optional[List[str]] = None) -> int:
    load_dotenv()
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Run the staff dashboard.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=urlsplit(settings.dashboard_url).port or 8000)
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads (default 4)")
    parser.add_argument("--trusted-proxy", metavar="ADDR",
                        help="address of the reverse proxy whose X-Forwarded-For/-Proto headers to believe "
                             "(then the login throttle counts each client, not the proxy)")
    parser.add_argument("--dev", action="store_true", help="werkzeug's development server instead of waitress")
    args = parser.parse_args(argv)
    setup_logging(settings.log_level, "dashboard")
    from dashboard import create_app

    app = create_app()
    if args.dev:
        app.run(host=args.host, port=args.port, threaded=True, debug=False, use_reloader=False, load_dotenv=False)
        return 0
    from waitress import serve

    proxy = {}
    if args.trusted_proxy:
        proxy = {"trusted_proxy": args.trusted_proxy, "trusted_proxy_headers": PROXY_HEADERS,
                 "clear_untrusted_proxy_headers": True}
    serve(app, host=args.host, port=args.port, threads=args.threads, **proxy)
    return 0


raise SystemExit(main())
