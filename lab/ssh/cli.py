"""Command matching and the per-session state machine shared by the dialects.

A dialect is a `CliSession` subclass: a table of commands per mode, its prompts and its error texts. Commands
match the way the real CLIs do: each typed word may be any unambiguous-enough prefix of the keyword
("dis int br" = "display interface brief").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lab.ssh.model import DeviceView

Handler = Callable[[DeviceView, tuple[str, ...]], str]


@dataclass(frozen=True)
class Command:
    """One command: its keywords, its renderer, and whether extra words (arguments) are allowed."""

    words: tuple[str, ...]
    handler: Handler
    takes_args: bool = False


def cmd(spec: str, handler: Handler, takes_args: bool = False) -> Command:
    return Command(tuple(spec.split()), handler, takes_args)


def _words_match(words: tuple[str, ...], tokens: Sequence[str]) -> bool:
    return all(word.startswith(tok.lower()) for word, tok in zip(words, tokens, strict=False))


def find_command(commands: Sequence[Command], line: str) -> tuple[Command, tuple[str, ...]] | None:
    """The command a typed line selects (exact keyword count first, then commands taking arguments)."""
    tokens = line.split()
    if not tokens:
        return None
    for command in commands:
        if len(tokens) == len(command.words) and _words_match(command.words, tokens):
            return command, ()
    for command in commands:
        n = len(command.words)
        if command.takes_args and len(tokens) > n and _words_match(command.words, tokens[:n]):
            return command, tuple(tokens[n:])
    return None


def error_column(commands: Sequence[Command], line: str) -> int:
    """Column of the first word no command accepts (where the CLIs put their '^')."""
    tokens = line.split()
    column = len(line) - len(line.lstrip())
    rest = line.lstrip()
    for i, tok in enumerate(tokens):
        if not any(len(c.words) > i and _words_match(c.words[: i + 1], tokens[: i + 1]) for c in commands):
            return column
        rest = rest[len(tok) :]
        skipped = len(rest) - len(rest.lstrip())
        column += len(tok) + skipped
        rest = rest.lstrip()
    return column


def is_incomplete(commands: Sequence[Command], line: str) -> bool:
    """Every typed word is a prefix of some longer command (e.g. 'display lldp')."""
    tokens = line.split()
    return any(len(c.words) > len(tokens) and _words_match(c.words, tokens) for c in commands)


@dataclass
class Reply:
    """What one input line produces: the text to print (lines separated by \\n) and whether to hang up."""

    text: str
    close: bool = False


class CliSession:
    """State of one interactive session. Subclasses set the command tables, prompts and error texts."""

    unknown_error = "Error: Unrecognized command found at '^' position."
    incomplete_error = "Error: Incomplete command found at '^' position."
    banner = ""

    def __init__(self, view: Callable[[], DeviceView], hostname: str) -> None:
        self.view = view
        self.hostname = hostname
        self.mode = "user"

    @property
    def echo(self) -> bool:
        """Whether typed input is echoed (not while a password is being typed)."""
        return True

    def prompt(self) -> str:
        return f"<{self.hostname}>"

    def commands(self) -> Sequence[Command]:
        return ()

    def special(self, line: str) -> Reply | None:
        """Mode changes and other commands that are not plain renderers; None when not one of them."""
        return None

    def execute(self, line: str) -> Reply:
        """Answer one input line (without its line ending)."""
        stripped = line.strip()
        if not stripped:
            return Reply("")
        special = self.special(stripped)
        if special is not None:
            return special
        found = find_command(self.commands(), stripped)
        if found is None:
            return Reply(self.error_text(stripped))
        command, args = found
        return Reply(command.handler(self.view(), args))

    def error_text(self, line: str) -> str:
        commands = self.commands()
        if is_incomplete(commands, line):
            message = self.incomplete_error
            column = len(line.rstrip()) + 1
        else:
            message = self.unknown_error
            column = error_column(commands, line)
        return " " * (len(self.prompt()) + column) + "^\n" + message
