"""Reading what users hand in: YAML/JSON files, secrets and the confirmation before a deletion."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import IO, Any

import click

from harbor_replication.cli._session import by_ctrl_c, usage_error


class _DuplicateKey(Exception):
    """A key given twice in one mapping of a file; YAML would keep the last one silently."""


def _unique_key_loader() -> type[Any]:
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            first_line: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                line = key_node.start_mark.line + 1
                try:
                    if key in first_line:
                        raise _DuplicateKey(
                            f"line {line}: {key!r} is given twice (first on line "
                            f"{first_line[key]}); keep one"
                        )
                    first_line[key] = line
                except TypeError:  # an unhashable key: YAML's own error follows
                    break
            return dict(super().construct_mapping(node, deep))

    return UniqueKeyLoader


def read_mapping(file: IO[str] | None) -> dict[str, Any]:
    """The mapping in a YAML or JSON file (JSON is read as YAML); {} without a file.

    A key given twice in one mapping is refused, naming the key and its lines.
    """
    if file is None:
        return {}
    import yaml

    try:
        data = yaml.load(file, Loader=_unique_key_loader())
    except _DuplicateKey as exc:
        raise click.BadParameter(f"{file.name}: {exc}", param_hint="-f") from exc
    except yaml.YAMLError as exc:
        raise click.BadParameter(f"{file.name}: not YAML or JSON: {exc}", param_hint="-f") from exc
    if not isinstance(data, dict):
        raise click.BadParameter(f"{file.name}: expected a mapping of fields", param_hint="-f")
    return data


def without_read_only(fields: dict[str, Any], read_only: Iterable[str]) -> dict[str, Any]:
    """The fields less those Harbor sets itself, which ``show -o yaml`` exports too.

    Dropped here, so an exported file can be edited and fed back to create or update.
    """
    return {key: value for key, value in fields.items() if key not in read_only}


def confirm_deletion(what: str, yes: bool) -> None:
    """Ask before deleting unless ``--yes``; a refusal ends with the usage status."""
    if not yes:
        confirm(f"Delete {what}?", f"{what} is left as it is")


def confirm(question: str, unchanged: str) -> None:
    """Ask ``question`` on stderr; a refusal ends with the usage status, saying ``unchanged``."""
    try:
        confirmed = click.confirm(question, err=True)
    except click.Abort as exc:
        if by_ctrl_c(exc):
            raise  # interrupted (130), not declined
        confirmed = False
    if not confirmed:
        raise usage_error(f"not confirmed; {unchanged}")


def prompt_secret(owner: str, given: str | None, how_to_give: str) -> str:
    """The secret ``given``, else asked for on a terminal without echo.

    The one rule for every secret a command has to send: with no terminal to ask on, a
    missing secret is refused before anything is sent (exit 4), saying ``how_to_give`` it.
    """
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise usage_error(f"no secret for {owner!r}: {how_to_give}")
    return str(click.prompt(f"Secret for {owner}", hide_input=True, err=True))
