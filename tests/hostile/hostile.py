"""Hostile corpora, made by code (no binary fixtures are committed)."""

from __future__ import annotations

import os
from pathlib import Path

GOOD = "Hanoi and Beijing agree\n\nChina and Vietnam agreed to establish a naval hotline.\n"

# Sequences a scraped page could carry; none may reach the terminal.
OSC52 = "\x1b]52;c;SGVsbG8gd29ybGQ=\x07"       # clipboard write
OSC52_ST = "\x1b]52;c;cHduZWQ=\x1b\\"          # ... ended by ESC \
OSC_TITLE = "\x1b]0;pwned-title\x07"           # window title
OSC8 = "\x1b]8;;https://evil.test/x\x1b\\link\x1b]8;;\x1b\\"  # hyperlink
CSI_CLEAR = "\x1b[2J\x1b[5i"                   # clear screen, printer on
C1_CSI = "\x9b31m"                             # C1 control introducer
BIDI = "\u202eevil\u202c \u2066iso\u2069"
ZERO_WIDTH = "zero\u200bwidth\u200d"
MARKUP = "[bold]x[/bold] [link=https://evil.test]l[/link] [@click=app.quit]q[/] [/] [i]gone?[/i]"

SEQUENCES = [OSC52, OSC52_ST, OSC_TITLE, OSC8, CSI_CLEAR, C1_CSI, BIDI, ZERO_WIDTH]
FORBIDDEN_BYTES = [  # as live sequences: ESC-introduced (the harmless "␛]52;..." is fine)
    b"\x1b]52;", b"\x1b]0;pwned", b"\x1b]2;pwned", b"\x1b]8;;https://evil.test", b"\x1b[5i",
    "\u202e".encode(), "\u2066".encode(), "\u200b".encode(), b"\xc2\x9b",
]


def hostile_text() -> str:
    body = " ".join(SEQUENCES)
    return (
        f"Title {MARKUP} {OSC_TITLE}\n\nBy Evil {OSC52} Author\n\n"
        f"China and Vietnam agreed to a hotline. {body} {MARKUP}\r\nback\bspace\x7fdel\n"
    )


def write_hostile_corpus(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "evil.txt").write_text(hostile_text(), encoding="utf-8")
    (root / f"name{OSC_TITLE}[b]x[@click=app.quit].md").write_text(GOOD, encoding="utf-8")
    return root


TOO_BIG = 8 * 1024 * 1024
"""Promise 2: a file over 8 MB is skipped as too big."""
LONGEST_LINE = 1_000_000
"""Promise 2: so is a line of more than a million characters."""


def write_bad_files(root: Path, too_big: int = TOO_BIG,
                    longest_line: int = LONGEST_LINE) -> dict[str, str]:
    """Every kind of bad file next to good ones; returns file name -> expected reason.

    The big ones cost next to no disk: a file 2.5 times `too_big` is sparse after its first
    line (were it read as an article, its NUL bytes would give another reason than size), and
    the long line is just over `longest_line`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "good.txt").write_text(GOOD)
    (root / "utf16_bom.txt").write_bytes(GOOD.encode("utf-16"))
    (root / "utf16_nobom.txt").write_bytes(GOOD.encode("utf-16-le"))
    (root / "latin1.txt").write_bytes("Café in Hà Nội? No: Hanoi café\n\nChina and Vietnam agreed.\n".encode("latin-1", "replace"))
    (root / "cp1252.txt").write_bytes("Smart “quotes” – dash\n\nChina and Vietnam agreed.\n".encode("cp1252"))
    expected = {
        "nul.txt": "NUL bytes",
        "invalid_utf8.txt": "undecodable",
        "empty.txt": "empty file",
        "blank.md": "empty file",
        "huge.txt": "too big",
        "oneline.txt": "without a break",
        "deep_front.md": "front matter",
        "list_front.md": "not a mapping",
        "dir_article.txt": "is a directory",
        "loop_a.txt": "a link in a loop",
        "loop_b.txt": "a link in a loop",
    }
    (root / "nul.txt").write_bytes(b"Title\x00\x01\x02binary\x00\x00\x00rest" * 3)
    (root / "invalid_utf8.txt").write_bytes(b"Title\n\ncaf\x81\x8d\x8f\x90\x9d text")
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_bytes(b"  \n\t\n   \r\n")
    with open(root / "huge.txt", "wb") as fh:
        fh.write(b"Big title\n\nChina and Vietnam agreed to hold joint patrols.\n")
        fh.truncate(too_big * 5 // 2)
    (root / "oneline.txt").write_text("Title\n\n" + "word " * (longest_line // 5 + 1))
    depth = 5000
    (root / "deep_front.md").write_text("---\ntitle: " + "[" * depth + "]" * depth + "\n---\nBody about China.\n")
    (root / "list_front.md").write_text("---\n- a\n- b\n---\nBody about Vietnam.\n")
    (root / "dir_article.txt").mkdir()
    os.symlink(root / "loop_b.txt", root / "loop_a.txt")
    os.symlink(root / "loop_a.txt", root / "loop_b.txt")
    return expected
