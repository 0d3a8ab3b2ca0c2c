"""Reading files: encodings, front matter, debris cleaning, metadata, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from sinoread.corpus import ArticleError, SourceFile, decode, load_corpus, parse_article, scan
from sinoread.sanitize import sanitize
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def seeds(cfg):
    articles, problems = load_corpus(SEEDS, cfg)
    assert problems == []
    return {a.id[:3]: a for a in articles}


@pytest.mark.parametrize(
    "sid, title, author, source, date",
    [
        ("000", "Beijing and Hanoi Boost Military Cooperation in South China Sea",
         "Lucas Leiroz de Almeida", "Global Research", "2021-06-07"),
        ("001", "Beijing seeks to boost military cooperation with Vietnam despite South China Sea dispute",
         None, None, None),
        ("002", "China, Vietnam Coast Guards Pledge SCS Cooperation", None, None, "2024-12-16"),
        ("003", "Ongoing Russo-Vietnamese Military Cooperation Ensures Regional Stability",
         "Dmitry Bokarev", None, None),
        ("004", "Vietnam looks to Japan for help against China", None, None, None),
    ],
)
def test_seed_metadata(seeds, sid, title, author, source, date):
    a = seeds[sid]
    assert (a.title, a.author, a.source, a.date) == (title, author, source, date)


@pytest.mark.parametrize(
    "sid, gone",
    [
        ("000", "[InfoBrics](#)"),             # markdown link residue
        ("000", "**Rear Admiral"),             # markdown emphasis
        ("000", "Translate Website"),          # translate prompt
        ("000", "Visit and follow us"),        # follow prompt
        ("000", "Note to readers"),            # share prompt
        ("000", "Disclaimer:"),                # disclaimer
        ("000", "Copyright ©"),                # copyright line
        ("000", "For media inquiries"),        # contact line
        ("000", "Region: Asia"),               # site taxonomy
        ("000", "By Lucas"),                   # byline moved to metadata
        ("002", "Home »"),                     # breadcrumb
        ("002", "<a href"),                    # stray HTML tag
        ("002", "(Photo by CCG)”>"),           # attribute fragment
        ("002", "Leave a Comment"),            # comment prompt
        ("002", "Akismet"),                    # site boilerplate
        ("003", "You can comment this article"),
        ("003", "Оставить комментарий"),       # Russian "leave a comment"
    ],
)
def test_debris_removed(seeds, sid, gone):
    assert gone not in seeds[sid].text


def test_title_repeated_on_next_line_is_kept_once(seeds):
    title = seeds["001"].title
    assert seeds["001"].text.count(title) == 1
    assert seeds["002"].text.count("China, Vietnam Coast Guards Pledge SCS Cooperation") == 1


def test_repeated_caption_kept_once(seeds):
    assert seeds["004"].text.count("Ship to ship missiles on display in Beijing") == 1


def test_content_survives_cleaning(seeds):
    assert "Rear Admiral Tran Thanh Nghiem, commander of the Vietnam Navy" in seeds["000"].text
    assert "Delegates of China Coast Guard (CCG) call on leaders of the Vietnamese Defense Ministry." in seeds["002"].text
    assert "developing joint patrol plans. Sub-regional level talks" in seeds["002"].text  # glued sentences split
    assert "Ngô Xuân Lịch" in seeds["003"].text


def _article(tmp_path: Path, data: bytes, name: str = "a.txt", cfg=None):
    p = tmp_path / name
    p.write_bytes(data)
    st = p.stat()
    return parse_article(SourceFile(p.stem, str(p), st.st_mtime_ns, st.st_size), cfg)


TEXT = "Vietnam buys ships\n\nHanoi signed a deal with Tokyo for six patrol vessels — café Lịch.\n"


@pytest.mark.parametrize(
    "encoded",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.replace("Lịch", "Lich").encode("cp1252"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
    ],
)
def test_encodings(tmp_path, cfg, encoded):
    a = _article(tmp_path, encoded, cfg=cfg)
    assert a.title == "Vietnam buys ships"
    assert "six patrol vessels — café" in a.text
    assert "\r" not in a.text and "\ufeff" not in a.text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\n\t ", "empty"),
        (b"abc\x00\x01\x02def\x00\x00ghi", "NUL"),
        (b"caf\x81\x8d\x8f\x90\x9d", "undecodable"),
    ],
)
def test_bad_files_raise_with_reason(tmp_path, cfg, data, reason):
    with pytest.raises(ArticleError, match=reason):
        _article(tmp_path, data, cfg=cfg)


def test_front_matter_overrides_inference(tmp_path, cfg):
    data = (
        "---\ntitle: Real title\nauthor: Jane Roe\nsource: The Diplomat\ndate: 2023-05-01\nurl: https://x.test/a\n---\n"
        "Shown title\n\nBy Someone Else\n\nChina and Vietnam agreed to hold joint patrols.\n"
    ).encode()
    a = _article(tmp_path, data, cfg=cfg)
    assert (a.title, a.author, a.source, a.date, a.url) == ("Real title", "Jane Roe", "The Diplomat", "2023-05-01", "https://x.test/a")
    assert "---" not in a.text


def test_front_matter_not_a_mapping_is_reported(tmp_path, cfg):
    with pytest.raises(ArticleError, match="not a mapping"):
        _article(tmp_path, b"---\n- a\n- b\n---\nBody text here.\n", cfg=cfg)


@pytest.mark.parametrize(
    "line, iso",
    [("June 07, 2021", "2021-06-07"), ("6 June 2021", "2021-06-06"), ("December 16-21, 2024", "2024-12-16"),
     ("Published: 2020-02-29", "2020-02-29")],
)
def test_date_forms(tmp_path, cfg, line, iso):
    a = _article(tmp_path, f"Title here\n\n{line}\n\nBody of the article about Vietnam.\n".encode(), cfg=cfg)
    assert a.date == iso


def test_unknown_date_stays_null(tmp_path, cfg):
    a = _article(tmp_path, b"Title\n\nIn 2016 Vietnam bought submarines. Last year it bought more.\n", cfg=cfg)
    assert a.date is None


def test_scan_reports_id_clash_and_directory(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text("one")
    (tmp_path / "b" / "x.md").write_text("two")
    (tmp_path / "dir.txt").mkdir()
    (tmp_path / "notes.pdf").write_text("ignored")
    files, problems = scan(tmp_path)
    assert [f.id for f in files] == ["x"]
    reasons = " | ".join(str(p) for p in problems)
    assert "already used" in reasons and "is a directory" in reasons


def test_bad_file_does_not_stop_the_rest(tmp_path, cfg):
    (tmp_path / "good.txt").write_text("Good title\n\nChina and Vietnam agreed to a hotline.\n")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x00binary")
    (tmp_path / "empty.md").write_bytes(b"")
    articles, problems = load_corpus(tmp_path, cfg)
    assert [a.id for a in articles] == ["good"]
    assert sorted(Path(p.path).name for p in problems) == ["bad.txt", "empty.md"]


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("a\x1b]52;c;SGVsbG8=\x07b", "a␛]52;c;SGVsbG8=␇b"),
        ("x\x1b[2Jy", "x␛[2Jy"),
        ("r\rs", "r\ns"),
        ("del\x7f", "del␡"),
        ("c1\x9bz", "c1<U+009B>z"),
        ("bidi\u202eevil", "bidi<U+202E>evil"),
        ("zero\u200bwidth", "zero<U+200B>width"),
    ],
)
def test_sanitize_makes_controls_visible(raw, shown):
    assert sanitize(raw) == shown


def test_decode_utf16_without_bom():
    assert decode("Hanoi and Beijing".encode("utf-16-le")) == "Hanoi and Beijing"
