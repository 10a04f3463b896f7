"""The command-line framework: typer's way of declaring commands, click's help and errors,
in plain Python that costs almost nothing to import.

Every CLI call pays for its framework before any work starts. Measured on this machine
(issue 26, medians of 11 paired runs): `import typer` ~70 ms and, through typer 0.29's pydantic
TypeAdapters, ~100 ms more to parse a command line; click alone ~45 ms to import; argparse
~10 ms, with its own usage, help and error formats to rewrite to keep ours. This module is
what the advisor uses of them: ~0 ms beyond the interpreter's own modules.

Commands are declared as with typer: a function whose parameters have `Option(...)` or
`Argument(...)` defaults and annotations that say the type (str, int, float, bool, Path, an
Enum, list of one of them, Optional). Help is laid out as click lays it out (`Usage:`, the
docstring, `Arguments:`, `Options:`, `Commands:`), usage errors are click's messages with a
"did you mean", exit code 2. Shell completion (bash, zsh, fish, PowerShell): the script the
shell sources calls the advisor back with `_ADVISOR_COMPLETE=complete_SHELL`, COMP_WORDS and
COMP_CWORD, and reads the candidates from standard output, one a line.
"""

from __future__ import annotations

import inspect
import os
import sys
import typing
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any

REQUIRED: Any = ...
HELP_FLAGS = ("-h", "--help")
SHELLS = ("bash", "zsh", "fish", "powershell")
MAX_WIDTH = 80
COLUMN_MAX = 30


class Exit(Exception):  # noqa: N818 - typer's name, which commands raise
    """Stop the command with this exit code."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.code = code

    @property
    def exit_code(self) -> int:  # typer's name for it
        return self.code


class BadParameter(ValueError):
    """A value a parameter's parser refuses; the message says what is allowed."""


class UsageError(Exception):
    """A command line the app can't run: what is wrong, and where help is (`path`, e.g.
    ("advisor", "rules", "show"); None when the message alone says it)."""

    def __init__(self, message: str, command: _CommandUsage | _GroupUsage | None) -> None:
        super().__init__(message)
        self.message = message
        self.command = command

    @property
    def path(self) -> tuple[str, ...] | None:
        return None if self.command is None else self.command.path


# --- declarations ------------------------------------------------------------------------------

class Param:
    """An option or argument as declared (Option(...), Argument(...)); the rest is filled in from
    the function's signature. A plain class, as are the others here: every CLI call creates
    them, and a dataclass costs ~1 ms to create on Python 3.11 (issue 26)."""

    def __init__(self, default: Any, flags: tuple[str, ...] = (), help: str | None = None,
                 metavar: str | None = None, min: float | None = None, max: float | None = None,
                 parser: Callable[[str], Any] | None = None,
                 autocompletion: Callable[[str], list[str]] | None = None, argument: bool = False) -> None:
        self.default = default
        self.flags = flags
        self.help = help
        self.metavar = metavar
        self.min = min
        self.max = max
        self.parser = parser
        self.autocompletion = autocompletion  # candidates for a partly typed value
        self.argument = argument
        # filled in from the function's signature
        self.name = ""
        self.kind: Any = str  # str, int, float, Path or an Enum class
        self.many = False  # list[...]: an argument takes several values, an option repeats
        self.flag = False  # bool option
        self.off_flags: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def label(self) -> str:
        """How errors name it: 'PATH' for an argument, "'--jobs' / '-j'" for an option."""
        if self.argument:
            return f"'{self.display_name()}'"
        return " / ".join(f"'{f}'" for f in self.flags)

    def display_name(self) -> str:
        return self.metavar or self.name.upper()


def Option(default: Any = REQUIRED, *flags: str, help: str | None = None,  # noqa: N802 - typer's name
           metavar: str | None = None, min: float | None = None, max: float | None = None,
           parser: Callable[[str], Any] | None = None,
           autocompletion: Callable[[str], list[str]] | None = None) -> Any:
    return Param(default, flags, help, metavar, min, max, parser, autocompletion)


def Argument(default: Any = REQUIRED, *, help: str | None = None,  # noqa: N802 - typer's name
             metavar: str | None = None, autocompletion: Callable[[str], list[str]] | None = None) -> Any:
    return Param(default, (), help, metavar, autocompletion=autocompletion, argument=True)


class Command:
    def __init__(self, name: str, function: Callable[..., Any] | None, help: str = "") -> None:
        self.name = name
        self.function = function
        self.help = help
        self.params: list[Param] = []
        self._resolved = False

    def resolve(self) -> Command:
        """Read the parameters from the function's signature (when first needed)."""
        if self._resolved or self.function is None:
            return self
        hints = typing.get_type_hints(self.function)
        for name, parameter in inspect.signature(self.function).parameters.items():
            declared = parameter.default
            if not isinstance(declared, Param):
                raise TypeError(f"{self.name}: parameter {name} is not declared with Option() or Argument()")
            _describe(declared, name, hints[name])
            self.params.append(declared)
        self._resolved = True
        return self

    @property
    def options(self) -> list[Param]:
        return [p for p in self.resolve().params if not p.argument]

    @property
    def arguments(self) -> list[Param]:
        return [p for p in self.resolve().params if p.argument]


def _describe(param: Param, name: str, annotation: Any) -> None:
    param.name = name
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        annotation = next(a for a in args if a is not type(None))
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is list:
        param.many, annotation = True, args[0]
    if annotation is bool:
        param.flag = True
    else:
        param.kind = annotation
    if param.argument:
        return
    flags = param.flags or (f"--{name.replace('_', '-')}",)
    on = tuple(f.split("/")[0].strip() for f in flags)
    off = tuple(f.split("/")[1].strip() for f in flags if "/" in f)
    param.flags, param.off_flags = on, off


class App:
    """A command group: the root (`advisor`) or a nested group (`advisor rules`)."""

    def __init__(self, name: str | None = None, help: str = "", no_args_is_help: bool = False,
                 add_completion: bool = False) -> None:
        self.name = name or ""
        self.help = help
        self.no_args_is_help = no_args_is_help
        self.add_completion = add_completion
        self.commands: dict[str, Command | App] = {}
        self.root_options: Command = Command(self.name, None)
        self._lazy: dict[str, Callable[[App], None]] = {}

    def command(self, name: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            command_name = name or function.__name__.replace("_", "-")
            self.commands[command_name] = Command(command_name, function, inspect.getdoc(function) or "")
            return function
        return register

    def callback(self) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            self.root_options = Command(self.name, function)
            return function
        return register

    def add_group(self, group: App, name: str) -> None:
        group.name = name
        self.commands[name] = group

    def add_lazy(self, name: str, register: Callable[[App], None]) -> None:
        """A command registered only when it is run, completed or listed (its module's imports
        are paid only then)."""
        self._lazy[name] = register
        self.commands.setdefault(name, _PENDING)

    def get(self, name: str) -> Command | App | None:
        if name in self._lazy:
            self._lazy.pop(name)(self)
        found = self.commands.get(name)
        return None if found is _PENDING else found

    def all_commands(self) -> dict[str, Command | App]:
        for name in list(self._lazy):
            self.get(name)
        return self.commands

    # --- running ---------------------------------------------------------------------------

    def __call__(self, args: list[str] | None = None, prog_name: str = "advisor") -> None:
        """Standalone: run, print a usage error click's way, exit with the code."""
        try:
            code = self.run(args, prog_name)
        except UsageError as exc:
            _print_usage_error(exc)
            code = 2
        raise SystemExit(code)

    def run(self, args: list[str] | None = None, prog_name: str = "advisor") -> int:
        """Run the command line; return its exit code. A usage error is raised (UsageError),
        for the caller to tell in its own style; a shell asking for completions
        (`_PROG_COMPLETE=complete_SHELL`) gets them on standard output."""
        args = list(sys.argv[1:] if args is None else args)
        self.name = prog_name
        if os.environ.get(f"_{prog_name.upper()}_COMPLETE", "").startswith("complete_"):
            print("\n".join(complete(self, os.environ.get("COMP_WORDS", ""), os.environ.get("COMP_CWORD", ""))))
            return 0
        try:
            return self._run(args, (prog_name,))
        except Exit as exc:
            return exc.code

    def _run(self, args: list[str], path: tuple[str, ...]) -> int:
        options, rest = self._root_options(args, path)
        if rest is None:
            return 0
        if not rest:
            if self.no_args_is_help:  # as click does: the help, on standard error, and exit 2
                print(group_help(self, path), file=sys.stderr)
                return 2
            return 0
        name, rest = rest[0], rest[1:]
        found = self.get(name)
        if found is None:
            import difflib

            names = list(self.all_commands())
            close = difflib.get_close_matches(name, names, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise UsageError(f"No such command '{name}'.{hint}", _GroupUsage(self, path))
        if isinstance(found, App):
            return found._run(rest, (*path, name))
        values = parse(found, rest, (*path, name))
        if values is None:  # -h
            return 0
        found.function(**values)  # type: ignore[misc]
        return 0

    def _root_options(self, args: list[str], path: tuple[str, ...]) -> tuple[dict[str, Any], list[str] | None]:
        """The group's own options, before its command name; None for the rest when one answered."""
        root = self.root_options.resolve()
        index = 0
        given: list[str] = []
        while index < len(args) and args[index].startswith("-") and args[index] != "-":
            word = args[index]
            if word in HELP_FLAGS:
                print(group_help(self, path))
                return {}, None
            if self.add_completion and word in ("--show-completion", "--install-completion"):
                shell = args[index + 1] if index + 1 < len(args) and args[index + 1] in SHELLS else None
                completion_command(self.name, word, shell)
                return {}, None
            if not any(word in p.flags for p in root.params):
                raise UsageError(_no_such_option(word, root, self.add_completion), _GroupUsage(self, path))
            given.append(word)
            index += 1
        if root.function is not None and given:
            root.function(**parse(root, given, path))
        return {}, args[index:]


_PENDING: Any = object()


class _GroupUsage:
    """What a usage error on a group shows: its usage line and help hint."""

    def __init__(self, app: App, path: tuple[str, ...]) -> None:
        self.app, self.path = app, path


# --- parsing -----------------------------------------------------------------------------------

def parse(command: Command, args: list[str], path: tuple[str, ...]) -> dict[str, Any] | None:
    """Keyword arguments for the command's function; None when help was shown instead."""
    usage = _CommandUsage(command, path)
    read = _read_words(command, args, usage)
    if read is None:
        print(command_help(command, path))
        return None
    raw, positionals = read
    _assign_positionals(command, positionals, raw, usage)
    values = {}
    for param in command.params:
        if param.name in raw:
            values[param.name] = _convert(param, raw[param.name], usage)
        elif param.required:
            what = "argument" if param.argument else "option"
            raise UsageError(f"Missing {what} {param.label()}.", usage)
        else:
            default = param.default
            values[param.name] = list(default) if isinstance(default, list) else default
    return values


def _read_words(command: Command, args: list[str],
                usage: _CommandUsage) -> tuple[dict[str, Any], list[str]] | None:
    """The options' raw values by parameter name, and the positional words; None for -h."""
    by_flag: dict[str, tuple[Param, bool]] = {}
    for param in command.options:
        by_flag.update({f: (param, True) for f in param.flags})
        by_flag.update({f: (param, False) for f in param.off_flags})
    raw: dict[str, Any] = {}
    positionals: list[str] = []
    words = iter(args)
    for word in words:
        if word == "--":
            positionals.extend(words)
            break
        if not word.startswith("-") or word == "-":
            positionals.append(word)
            continue
        if word in HELP_FLAGS:
            return None
        flag, attached = word, None
        if word.startswith("--") and "=" in word:
            flag, attached = word.split("=", 1)
        elif not word.startswith("--") and len(word) > 2:
            flag, attached = word[:2], word[2:]
        if flag not in by_flag:
            raise UsageError(_no_such_option(flag, command), usage)
        param, on = by_flag[flag]
        if param.flag:
            if attached is not None:
                raise UsageError(f"Option '{flag}' does not take a value.", None)
            raw[param.name] = on
            continue
        value = attached if attached is not None else next(words, None)
        if value is None:
            raise UsageError(f"Option '{flag}' requires an argument.", None)
        if param.many:
            raw.setdefault(param.name, []).append(value)
        else:
            raw[param.name] = value
    return raw, positionals


def _assign_positionals(command: Command, words: list[str], raw: dict[str, Any], usage: _CommandUsage) -> None:
    arguments = command.arguments
    for position, param in enumerate(arguments):
        if not words:
            break
        if param.many:
            later = len(arguments) - position - 1
            raw[param.name], words = words[:len(words) - later], words[len(words) - later:]
        else:
            raw[param.name], words = words[0], words[1:]
    if words:
        raise UsageError(f"Got unexpected extra argument(s) ({' '.join(words)})", usage)


def _convert(param: Param, value: Any, usage: _CommandUsage) -> Any:
    if param.flag:
        return bool(value)
    if param.many:
        return [_convert_one(param, item, usage) for item in value]
    return _convert_one(param, value, usage)


def _convert_one(param: Param, text: str, usage: _CommandUsage) -> Any:
    def invalid(reason: str) -> UsageError:
        return UsageError(f"Invalid value for {param.label()}: {reason}", usage)

    if param.parser is not None:
        try:
            return param.parser(text)
        except (BadParameter, ValueError) as exc:
            raise invalid(str(exc)) from None
    kind = param.kind
    if isinstance(kind, type) and issubclass(kind, Enum):
        for member in kind:
            if member.value == text:
                return member
        raise invalid(f"{text!r} is not one of {', '.join(repr(m.value) for m in kind)}.")
    if kind in (int, float):
        try:
            number = kind(text)
        except ValueError:
            raise invalid(f"{text!r} is not a valid {'integer' if kind is int else 'number'}.") from None
        if number != number or number in (float("inf"), float("-inf")):  # nan, inf: no bound holds
            raise invalid(f"{text!r} is not a finite number.")
        if param.min is not None and number < param.min:
            raise invalid(f"must be at least {_number(param.min)}")
        if param.max is not None and number > param.max:
            raise invalid(f"must be at most {_number(param.max)}")
        return number
    if kind is Path:
        return Path(text)
    return text


def _range(param: Param) -> str:
    if param.max is None:
        return f"x>={_number(param.min)}"
    if param.min is None:
        return f"x<={_number(param.max)}"
    return f"{_number(param.min)}<=x<={_number(param.max)}"


def _number(value: float | None) -> str:
    """1, 0.1, 9223372036854775807: as written (`:g` would round a 64-bit bound)."""
    return str(int(value)) if isinstance(value, int) or float(value or 0).is_integer() else str(value)


def _no_such_option(word: str, command: Command, completion: bool = False) -> str:
    flags = [f for p in command.options for f in (*p.flags, *p.off_flags) if f.startswith("--")]
    flags += ["--help"] + (["--install-completion", "--show-completion"] if completion else [])
    import difflib

    close = difflib.get_close_matches(word, flags)
    hint = f" (Possible options: {', '.join(sorted(close))})" if close else ""
    return f"No such option: {word}{hint}"


# --- help ----------------------------------------------------------------------------------------

class _CommandUsage:
    """What a usage error on a command shows: its usage line and help hint."""

    def __init__(self, command: Command, path: tuple[str, ...]) -> None:
        self.command, self.path = command, path


def _width() -> int:
    import shutil

    return max(min(shutil.get_terminal_size().columns, MAX_WIDTH) - 2, 50)


def _wrap(text: str, width: int, indent: int) -> list[str]:
    import textwrap

    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append("")
        lines += textwrap.wrap(" ".join(paragraph.split()), width, initial_indent=" " * indent,
                               subsequent_indent=" " * indent) or [""]
    return lines


def _definitions(rows: list[tuple[str, str]], width: int) -> list[str]:
    import textwrap

    first = min(max(len(term) for term, _ in rows), COLUMN_MAX) + 2
    text_width = max(width - first - 2, 10)
    lines = []
    for term, text in rows:
        wrapped = textwrap.wrap(text, text_width) if text else []
        if len(term) <= first - 2:
            head = f"  {term.ljust(first)}"
            lines.append((head + wrapped[0]).rstrip() if wrapped else f"  {term}")
            rest = wrapped[1:]
        else:
            lines.append(f"  {term}")
            rest = wrapped
        lines += [" " * (first + 2) + line for line in rest]
    return lines


def _usage_line(path: tuple[str, ...], tail: str) -> str:
    return f"Usage: {' '.join(path)} [OPTIONS]{tail}"


def command_usage(command: Command, path: tuple[str, ...]) -> str:
    parts = []
    for param in command.arguments:
        name = param.display_name() + ("..." if param.many else "")
        parts.append(name if param.required else f"[{name}]")
    return _usage_line(path, "".join(" " + p for p in parts))


def _option_row(param: Param) -> tuple[str, str]:
    flags = sorted(param.flags, key=lambda f: f.startswith("--"))
    term = ", ".join(flags)
    if param.off_flags:
        term += " / " + ", ".join(param.off_flags)
    if not param.flag:
        term += " " + _value_name(param)
    extras = []
    if param.required:
        extras.append("required")
    elif param.flag and param.off_flags and param.default:
        extras.append(f"default: {param.flags[0].lstrip('-')}")
    elif not param.flag and param.default not in (None, [], ()):
        default = param.default.value if isinstance(param.default, Enum) else param.default
        extras.append(f"default: {default}")
    if param.min is not None or param.max is not None:
        extras[-1:] = [f"{extras[-1]}; {_range(param)}"] if extras else [_range(param)]
    text = param.help or ""
    if extras:
        text = f"{text}  [{'; '.join(extras)}]" if text else f"[{'; '.join(extras)}]"
    return term, text


def _value_name(param: Param) -> str:
    if param.metavar:
        return param.metavar
    if isinstance(param.kind, type) and issubclass(param.kind, Enum):
        return "|".join(m.value for m in param.kind)
    return param.name.upper()


def command_help(command: Command, path: tuple[str, ...]) -> str:
    width = _width()
    lines = [command_usage(command, path), ""]
    if command.help:
        lines += _wrap(command.help, width, 2) + [""]
    arguments = [(p.display_name() + ("..." if p.many else ""),
                  (p.help or "") + ("  [required]" if p.required else "")) for p in command.arguments]
    if arguments:
        lines += ["Arguments:", *_definitions(arguments, width), ""]
    options = [_option_row(p) for p in command.options] + [("-h, --help", "Show this message and exit.")]
    lines += ["Options:", *_definitions(options, width)]
    return "\n".join(lines)


def group_help(app: App, path: tuple[str, ...]) -> str:
    width = _width()
    lines = [_usage_line(path, " COMMAND [ARGS]..."), ""]
    if app.help:
        lines += _wrap(app.help, width, 2) + [""]
    options = [_option_row(p) for p in app.root_options.resolve().params]
    if app.add_completion:
        options += [("--install-completion", "Install completion for the current shell."),
                    ("--show-completion", "Show completion for the current shell, to copy it or customize the "
                                          "installation.")]
    options.append(("-h, --help", "Show this message and exit."))
    lines += ["Options:", *_definitions(options, width)]
    found = app.all_commands()
    commands = {n: c for n, c in found.items() if isinstance(c, Command)}
    commands.update({n: g for n, g in found.items() if isinstance(g, App)})  # groups last
    if commands:
        column = max(len(name) for name in commands)
        limit = width - 6 - column
        rows = [(name, _short_help(found.help, limit)) for name, found in commands.items()]
        lines += ["", "Commands:", *_definitions(rows, width)]
    return "\n".join(lines)


def _short_help(text: str, limit: int) -> str:
    """The first paragraph up to its first sentence's end, or cut at a word with '...' to fit
    `limit` characters, as click shortens a command's help for a group's list."""
    words = text.split("\n\n")[0].split()
    length = 0
    for index, word in enumerate(words):
        length += len(word) + (index > 0)
        if length > limit:
            break
        if word.endswith("."):
            return " ".join(words[:index + 1])
        if length == limit and index != len(words) - 1:
            break
    else:
        return " ".join(words)
    length += len("...")
    while index > 0:
        length -= len(words[index]) + 1
        if length <= limit:
            break
        index -= 1
    return " ".join(words[:index]) + "..."


def _print_usage_error(error: UsageError) -> None:
    lines = []
    where = error.command
    if isinstance(where, _CommandUsage):
        lines += [command_usage(where.command, where.path),
                  f"Try '{' '.join(where.path)} -h' for help.", ""]
    elif isinstance(where, _GroupUsage):
        lines += [_usage_line(where.path, " COMMAND [ARGS]..."), f"Try '{' '.join(where.path)} -h' for help.", ""]
    lines.append(f"Error: {error.message}")
    from advisor.presentation.escape.terminal import visible  # what was typed or globbed, shown, not sent

    print(visible("\n".join(lines)), file=sys.stderr)


# --- completion ---------------------------------------------------------------------------------

def complete(app: App, line: str, cword: str) -> list[str]:
    """Candidates for word number `cword` of the command line `line` (words split on white space)."""
    words = line.split()  # bash joins them with its IFS (a newline in the script), the others with spaces
    try:
        index = int(cword)
    except ValueError:
        index = len(words) - 1
    if not 0 <= index <= len(words):  # no shell sends these; a COMP_CWORD set by hand may
        index = max(len(words) - 1, 0)
    words = words[:index + 1] + [""] * (index + 1 - len(words))
    current, before = words[index], words[1:index]
    group: App = app
    command: Command | None = None
    positionals: list[str] = []
    expects_value = False
    for word in before:
        if command is not None:
            if expects_value:
                expects_value = False
            elif word.startswith("-") and word != "-":
                expects_value = any(word in p.flags and not p.flag for p in command.options)
            else:
                positionals.append(word)
            continue
        if word.startswith("-"):
            continue
        found = group.get(word)
        if isinstance(found, App):
            group = found
        elif isinstance(found, Command):
            command = found.resolve()
    if command is None:
        return _complete_group(group, current)
    return _complete_command(command, before[-1] if before else "", current, positionals, expects_value)


def _complete_group(group: App, current: str) -> list[str]:
    if current.startswith("-"):
        flags = [f for p in group.root_options.resolve().params for f in p.flags]
        if group.add_completion:
            flags += ["--install-completion", "--show-completion"]
        return [f for f in [*flags, *HELP_FLAGS] if f.startswith(current)]
    found = group.all_commands()
    names = sorted(found, key=lambda name: isinstance(found[name], App))  # as help lists them: groups last
    return [name for name in names if name.startswith(current)]


def _complete_command(command: Command, previous: str, current: str, positionals: list[str],
                      expects_value: bool) -> list[str]:
    if expects_value:  # the value of the option just typed
        param = next(p for p in command.options if previous in p.flags)
        return _values(param, current)
    if current.startswith("-"):
        flags = [f for p in command.options for f in (*p.flags, *p.off_flags)] + list(HELP_FLAGS)
        return [f for f in flags if f.startswith(current)]
    arguments = command.arguments
    for position, param in enumerate(arguments):
        if param.many or position == len(positionals):
            return _values(param, current)
        if position > len(positionals):
            break
    return []


def _values(param: Param, current: str) -> list[str]:
    """A parameter's candidate values: its completion callback's, its choices, or none (the
    shell then offers file names)."""
    if param.autocompletion is not None:
        return list(param.autocompletion(current))
    kind = param.kind
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [m.value for m in kind if m.value.startswith(current)]
    if param.metavar and "|" in param.metavar:
        return [v for v in param.metavar.split("|") if v.startswith(current)]
    return []


def completion_script(prog: str, shell: str) -> str:
    variable = f"_{prog.upper()}_COMPLETE"
    function = f"_{prog}_completion"
    if shell == "bash":
        return (f"{function}() {{\n"
                f"    local IFS=$'\\n'\n"
                f"    COMPREPLY=( $(env COMP_WORDS=\"${{COMP_WORDS[*]}}\" COMP_CWORD=$COMP_CWORD "
                f"{variable}=complete_bash {prog}) )\n"
                f"    return 0\n"
                f"}}\n"
                f"complete -o default -F {function} {prog}\n")
    if shell == "zsh":
        return (f"#compdef {prog}\n\n"
                f"{function}() {{\n"
                f"  local -a candidates\n"
                f"  candidates=(\"${{(@f)$(env COMP_WORDS=\"${{words[*]}}\" COMP_CWORD=$((CURRENT-1)) "
                f"{variable}=complete_zsh {prog})}}\")\n"
                f"  if [[ -n \"${{candidates[*]}}\" ]]; then compadd -a candidates; else _files; fi\n"
                f"}}\n\n"
                f"compdef {function} {prog}\n")
    if shell == "fish":
        return (f"function {function}\n"
                f"    set -l words (commandline -opc) (commandline -ct)\n"
                f"    env COMP_WORDS=\"$words\" COMP_CWORD=(math (count $words) - 1) "
                f"{variable}=complete_fish {prog}\n"
                f"end\n"
                f"complete -c {prog} -a \"({function})\"\n")
    return ("Register-ArgumentCompleter -Native -CommandName " + prog + " -ScriptBlock {\n"
            "    param($wordToComplete, $commandAst, $cursorPosition)\n"
            "    $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })\n"
            "    if ($wordToComplete -eq '') { $words += '' }\n"
            "    $env:COMP_WORDS = $words -join ' '\n"
            "    $env:COMP_CWORD = $words.Count - 1\n"
            f"    $env:{variable} = 'complete_powershell'\n"
            f"    {prog} | ForEach-Object {{\n"
            "        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)\n"
            "    }\n"
            f"    Remove-Item Env:COMP_WORDS, Env:COMP_CWORD, Env:{variable}\n"
            "}\n")


def detect_shell() -> str | None:
    if os.environ.get("PSModulePath") and not os.environ.get("SHELL"):
        return "powershell"
    name = Path(os.environ.get("SHELL", "")).name
    return "powershell" if name in ("pwsh", "powershell") else name if name in SHELLS else None


def completion_command(prog: str, flag: str, shell: str | None) -> None:
    shell = shell or detect_shell()
    if shell is None:
        raise UsageError(f"Could not tell the shell; name it: {flag} {'|'.join(SHELLS)}", None)
    script = completion_script(prog, shell)
    if flag == "--show-completion":
        print(script, end="")
        return
    where = install_completion(prog, shell, script)
    print(f"{shell} completion installed in {where}")
    print("Completion will take effect once you restart the terminal")


def install_completion(prog: str, shell: str, script: str) -> Path:
    home = Path.home()
    if shell == "fish":
        target = home / ".config" / "fish" / "completions" / f"{prog}.fish"
        rc, line = None, ""
    elif shell == "zsh":
        target = home / ".zfunc" / f"_{prog}"
        rc, line = home / ".zshrc", "fpath+=~/.zfunc; autoload -Uz compinit; compinit"
    elif shell == "bash":
        target = home / ".bash_completions" / f"{prog}.sh"
        rc, line = home / ".bashrc", f"source '{target}'"
    else:
        import subprocess

        profile = subprocess.run(["pwsh", "-NoProfile", "-Command", "echo $profile"], capture_output=True,
                                 text=True, check=False).stdout.strip()
        if not profile:
            raise UsageError("PowerShell's profile not found (is pwsh on PATH?)", None)
        target, rc, line = Path(profile), None, ""
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as stream:
            stream.write("\n" + script)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(script, encoding="utf-8")
    if rc is not None:
        existing = rc.read_text(encoding="utf-8") if rc.exists() else ""
        if line not in existing:
            with rc.open("a", encoding="utf-8") as stream:
                stream.write(f"\n{line}\n")
    return target
