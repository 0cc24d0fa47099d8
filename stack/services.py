"""Which services `make run` starts, given the configuration."""
from __future__ import annotations

from typing import List, Tuple

from core.settings import Settings
from stack.supervisor import Service


def services_to_start(settings: Settings) -> Tuple[List[Service], List[str]]:
    """The services to start in order, and notes for the operator about what is skipped."""
    services: List[Service] = []
    notes: List[str] = []
    return services, notes
