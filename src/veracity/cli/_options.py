"""Options every command shares: `--case DIR` and `--json`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def case_option(func: F) -> F:
    return click.option(
        "--case",
        "case_dir",
        default="./case",
        show_default=True,
        type=click.Path(file_okay=False, path_type=str),
        help="The case folder.",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Machine output (JSON).")(func)
