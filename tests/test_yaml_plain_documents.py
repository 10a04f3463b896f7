"""A scenario file made only of `key: value`, `key:` and `- value` lines is read without the
YAML parser (yamlio._plain_block_data): it must give the data the parser gives, type for type
and key order included, or decline and leave the document to the parser."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor import yamlio
from advisor.errors import AdvisorError
from advisor.yamlio import parse_yaml


def typed(data: Any) -> Any:
    """The data with every scalar's type beside it (True == 1, but they must not be mixed up)."""
    if isinstance(data, dict):
        return [(key, typed(value)) for key, value in data.items()]
    if isinstance(data, list):
        return [typed(value) for value in data]
    return (type(data), data)


def parsed(text: str) -> Any:
    """What the parser gives (parse_yaml with lines always composes with libyaml), or the error."""
    try:
        return typed(parse_yaml(text, "t.yaml").data)
    except AdvisorError as error:
        return error


def read_plainly(text: str) -> Any:
    data = yamlio._plain_block_data(text)
    return None if data is yamlio._NOT_KNOWN else typed(data)


# Values the plain reading takes, of every type the resolver gives them.
PLAIN_VALUES = ["tabular", "random scenario 7", "a  b", "x'y", "a, b", "(x)", "12", "0", "-5", "+5",
                "012", "0x1F", "0b101", "1_000", "1.5", "1e3", "1.5e3", "-.5", ".5", "5.", "3.14_15",
                "true", "True", "yes", "No", "on", "off", "y", "n", "null", "Null", "2024-01-02",
                "1" * 18, "1" * 19, "'off'", "'it''s'", "''", "' spaced '", '"quoted"', '""', "'#'", "a-b",
                "/path/to", "_x", "NaN"]
# Values it leaves to the parser: errors, escapes, tags, anchors, flow collections, block
# scalars, comments, and texts the resolver or the scanner read another way.
OTHER_VALUES = [".nan", ".inf", "-.inf", "9" * 1500, "9" * 5000, "~", "=", "<<", "-", "--5", "- x", "a: b",
                "a:b", "a #c", "12:30", "1:2:3", "&a x", "*a", "!!str 3", "!!int x", "[1, 2]", "{a: 1}", "|", ">",
                "'open", "'a'b'", '"a\\tb"', '"a"b"', "\t", "é", "a\tb", "%x", "@x", "`x", "?x", "? x", "x\r"]
KEYS = ["name", "facts", "a", "b", "on", "true", "y", "_x", "k1", "notebook_users"]
OTHER_KEYS = ["a b", "a-b", "<<", "1", "é", "k" * 129, "'q'", "? k", "[a]", "a:", ""]


@st.composite
def block_documents(draw: Any, values: list[str] = PLAIN_VALUES) -> str:
    """A document of plain lines: nested mappings, lists at their key's indent or deeper,
    keys with nothing after them (null), comments, blank lines, spaces at the ends of lines."""
    lines: list[str] = []

    def gap(indent: int) -> None:
        for _ in range(draw(st.integers(0, 1))):
            lines.append(draw(st.sampled_from(["", "   ", " " * indent + "# a comment: with a colon"])))

    def end() -> str:
        return draw(st.sampled_from(["", "", " ", "  "]))

    def mapping(indent: int, depth: int) -> None:
        for key in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True)):
            gap(indent)
            kind = draw(st.sampled_from(["value", "value", "null", "list", "mapping"] if depth < 3 else ["value"]))
            if kind == "value":
                lines.append(f"{' ' * indent}{key}:{draw(st.sampled_from([' ', '  ']))}"
                             f"{draw(st.sampled_from(values))}{end()}")
            elif kind == "null":
                lines.append(f"{' ' * indent}{key}:{end()}")
            elif kind == "list":
                lines.append(f"{' ' * indent}{key}:{end()}")
                at = indent + draw(st.integers(0, 3))
                for value in draw(st.lists(st.sampled_from(values), min_size=1, max_size=3)):
                    gap(at)
                    lines.append(f"{' ' * at}-{draw(st.sampled_from([' ', '  ']))}{value}{end()}")
            else:
                lines.append(f"{' ' * indent}{key}:{end()}")
                mapping(indent + draw(st.integers(1, 4)), depth + 1)

    gap(0)
    mapping(0, 0)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def damaged(document: str, draw: Any) -> str:
    """The document with a line or two changed the way hand edits and hostile files change them."""
    lines = document.split("\n")
    for _ in range(draw(st.integers(1, 2))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        key, colon, _ = line.partition(": ")
        change = draw(st.sampled_from([
            "indent+1", "indent-1", "tab", "comment after", "twice", "other value", "other key", "crlf",
            "no space", "glued item", "orphan text"]))
        if change == "indent+1":
            line = " " + line
        elif change == "indent-1":
            line = line[1:] if line.startswith(" ") else line
        elif change == "tab":
            line = line.replace(" ", "\t", 1)
        elif change == "comment after":
            line += " # note"
        elif change == "twice":
            line = f"{line}\n{line}"
        elif change == "other value" and colon:
            line = f"{key}: {draw(st.sampled_from(OTHER_VALUES + PLAIN_VALUES))}"
        elif change == "other key" and colon:
            line = f"{key[:len(key) - len(key.lstrip())]}{draw(st.sampled_from(OTHER_KEYS))}: x"
        elif change == "crlf":
            line += "\r"
        elif change == "no space":
            line = line.replace(": ", ":", 1).replace("- ", "-", 1)
        elif change == "glued item":
            line = line.replace(": ", ": - ", 1)
        else:
            line += "\n" + line.split(":")[0] + " more"
        lines[index] = line
    return "\n".join(lines)


@given(block_documents())
@settings(max_examples=examples(400), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_plain_document_is_read_as_the_parser_reads_it(document):
    assert read_plainly(document) is not None, "a plain document goes the plain way"
    assert read_plainly(document) == parsed(document)
    quick = parse_yaml(document, "t.yaml", lines=False)
    assert typed(quick.data) == parsed(document)
    assert quick.lines is None  # found by the parser only when an error names one


@given(st.data())
@settings(max_examples=examples(1500), deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_other_document_is_left_to_the_parser(data):
    document = damaged(data.draw(block_documents(PLAIN_VALUES + OTHER_VALUES)), data.draw)
    plainly = read_plainly(document)
    if plainly is not None:
        assert plainly == parsed(document)


# Each rule of the plain reading, on a document it reads and one it must leave to the parser.
READ = [
    "a: 1\nb:\n- x\n- y\nc: 2\n",                       # a list at its key's indent
    "a:\n    - x\n    -   y\nb: 1\n",                    # a list deeper than its key
    "a:\n  b:\n  - x\n  c:\nd:\n",                      # keys with nothing after them: null
    "a:\n  b:\n    c: 1\n  d: 2\ne: 3",                 # mappings closed two at a time, no final newline
    "# head: note\n\na: 'it''s'   \nb: \"q\"\n  # indented comment\nc: 0x1F\n",
    "a: 1\nb: 2\n" * 0 + "a: yes\nb: 012\nc: 2024-01-02\nd: 1_000\ne: -5\n",
]
LEFT = [
    "a: 1\na: 2\n",            # a key twice
    "a:\n  - x\n  b: 1\n",     # a key at a deeper list's indent
    "a:\n  - x\n b: 1\n",      # a key between the list's indent and its key's
    "a:\n  - x\n - y\n",       # an item out of line
    "a: 1\n  b: 2\n",          # deeper than a value
    "a: x\n  y\n",             # a value over two lines
    "a:\n   b: 1\n  c: 2\n",   # a mapping's keys out of line
    "- x\n",                   # a list at the top
    "a: .nan\n",               # a value the builder refuses
    f"a: {'9' * 5000}\n",       # (and one Python's int refuses)
    "a: -\n",                  # not a value: a list's dash
    "a: - x\n",
    "a: 'x\n",                 # an open quote
    "a: '\n",
    'a: "\n',
    'a: "a\\tb"\n',             # an escape: the parser's to read
    'a: "a"b"\n',
    "a: x # note\n",           # a comment after a value
    "a:\tx\n",
    "a:\r\n  b: 1\r\n",
    "\ufeffa: 1\n",
    "#\x01\na: 1\n",
    "a: \u00e9\n",
    "# only a comment\n",
    "".join(f"{' ' * i}k:\n" for i in range(20)) + " " * 20 + "k: 1\n",  # deeper than the plain reading goes
]


@pytest.mark.parametrize("document", READ)
def test_each_rule_on_a_document_it_reads(document):
    assert read_plainly(document) is not None
    assert read_plainly(document) == parsed(document)


@pytest.mark.parametrize("document", LEFT)
def test_each_rule_on_a_document_it_leaves_to_the_parser(document):
    assert read_plainly(document) is None


def test_a_document_read_again_is_built_afresh():
    """Lines and values are kept from one document to the next; the lists and mappings never."""
    text = "a:\n- x\nb:\n  c: 2024-01-02\n"
    first = yamlio._plain_block_data(text)
    first["a"].append("y")
    first["b"]["d"] = 2
    assert read_plainly(text) == parsed(text)
