"""The ``traza`` command: the management commands an operator needs, with friendly names.

traza serve [--port 8000]   traza migrate        traza load-demo
traza import FILE           traza export [--plan ID] [-o FILE]
traza createsuperuser       traza verify-trace   traza <any Django command>
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traza.settings")
    from django.core.management import execute_from_command_line

    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    argv[0] = "traza"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
