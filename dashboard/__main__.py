"""`python -m dashboard [--host 127.0.0.1] [--port 8000]`: serve the dashboard (threaded werkzeug server)."""
from __future__ import annotations

import argparse
from typing import List, Optional
from urllib.parse import urlsplit

from core.logs import setup_logging
from core.settings import get_settings, load_dotenv


def main(argv: Optional[List[str]] = None) -> int:
    load_dotenv()
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Run the staff dashboard.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=urlsplit(settings.dashboard_url).port or 8000)
    args = parser.parse_args(argv)
    setup_logging(settings.log_level, "dashboard")
    from dashboard import create_app

    app = create_app()
    app.run(host=args.host, port=args.port, threaded=True, debug=False, use_reloader=False, load_dotenv=False)
    return 0


raise SystemExit(main())
