"""The XED transfer probe reads only English text neither head trained on, once each."""

from __future__ import annotations

from pathlib import Path

from moodline.models.probe_xed_transfer import unlabelled_english


def _write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


def test_unlabelled_english_skips_trained_rows_duplicates_and_blanks(tmp_path: Path) -> None:
    _write(
        tmp_path / "goemotions/group/train.tsv",
        ["seen before\t1\tid1", "new comment\t2\tid2", "new comment\t0\tid3", "\t2\tid4"],
    )
    _write(tmp_path / "topical-chat/train.tsv", ["neutral\tnice talk", "positive\tseen before"])
    _write(tmp_path / "topical-chat/dev.tsv", ["negative\tthat was sad"])

    texts = unlabelled_english(tmp_path, used={"seen before"})

    assert texts == ["new comment", "nice talk", "that was sad"]
