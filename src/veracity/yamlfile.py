"""YAML a user writes, read strictly: a key given twice is an error, not a silent overwrite.

PyYAML keeps the last of two equal keys without a word, so a `columns.yaml` mapping column B
and then column B again, or a status table listing one category twice, would quietly drop half
of what the user said. The figures rest on these files, so they are read with a loader that
refuses duplicates and names the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from veracity.errors import UsageError

__all__ = ["read_user_yaml"]


class _StrictLoader(yaml.SafeLoader):
    pass


def _mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if key in seen:
            line = key_node.start_mark.line + 1
            raise yaml.constructor.ConstructorError(
                None, None, f"{key!r} is given twice (line {line})", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_user_yaml(path: Path, name: str) -> Any:
    """The YAML document of `path`; one-line `UsageError` (named `name`) when it cannot be read,
    is not YAML, or gives a key twice in one mapping."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or str(exc)
        mark = exc.problem_mark
        where = f" (line {mark.line + 1})" if mark and "line" not in problem else ""
        raise UsageError(f"{name}: cannot read: {problem}{where}") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"{name}: cannot read: {' '.join(str(exc).split())}") from exc
