"""What every command-line tool of the project does with errors."""
from __future__ import annotations

import sys
from typing import Callable, Tuple, Type

from sqlalchemy.exc import SQLAlchemyError


def run_command(command: Callable[[], int], user_errors: Tuple[Type[BaseException], ...]) -> int:
    """Run `command`; a user's mistake or an unreachable database is one line on stderr and exit code 1."""
    try:
        return command()
    except user_errors as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except SQLAlchemyError as exc:
        print(f"error: database problem ({type(exc).__name__}); is the database reachable and migrated? "
              f"Run `make migrate`.", file=sys.stderr)
        return 1
