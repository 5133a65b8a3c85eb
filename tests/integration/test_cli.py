"""The `moodline` command: score, score --conversation, train, model use, export, settings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from moodline.daemon.locations import Locations
from moodline.daemon.scoring.encoders import Encoder
from moodline.daemon.settings import SettingsError, load_settings

REPO = Path(__file__).resolve().parents[2]


def moodline(
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "moodline", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
        cwd=REPO,
    )


def test_score_writes_one_json_object_per_line(fast_encoder: Encoder) -> None:
    result = moodline("score", stdin="thank you so much!\n\nthis is a disgrace\nok\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["thank you so much!", "this is a disgrace", "ok"]
    assert rows[0]["label"] == "positive" and rows[1]["label"] == "negative"
    for row in rows:
        assert set(row) >= {"text", "label", "score", "level", "confidence"}
        assert -1 <= row["score"] <= 1 and 0 < row["confidence"] <= 1
    assert "torch" not in result.stderr.lower()


def test_score_conversation_tracks_windows(fast_encoder: Encoder) -> None:
    lines = [
        {"conversation_id": "a", "role": "customer", "text": "this is ridiculous, third time!!"},
        {"conversation_id": "b", "role": "customer", "text": "thanks, that worked perfectly"},
        {"conversation_id": "a", "role": "agent", "text": "I'm so sorry, that's awful"},
        {"conversation_id": "a", "role": "customer", "text": "I want to cancel everything"},
    ]
    result = moodline(
        "score", "--conversation", stdin="\n".join(json.dumps(line) for line in lines) + "\n"
    )
    assert result.returncode == 0, result.stderr
    states = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(states) == 4
    assert states[0]["level"] in {"negative", "very_negative", "slightly_negative"}
    assert states[1]["conversation_id"] == "b" and states[1]["score"] > 0
    assert states[2]["score"] == states[0]["score"], "agent turns never count"
    assert states[3]["level"] in {"negative", "very_negative"}


def test_score_conversation_rejects_bad_lines(fast_encoder: Encoder) -> None:
    result = moodline("score", "--conversation", stdin='{"role": "customer"}\n')
    assert result.returncode != 0 and "input line 1" in result.stderr


def test_train_validates_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "team.csv"
    bad.write_text("text,label\nhello,neutral\nawful,furious\n")
    result = moodline("train", "--data", str(bad))
    assert result.returncode == 2
    assert "team.csv:3" in result.stderr and "label" in result.stderr
    missing = tmp_path / "team.jsonl"
    missing.write_text('{"text": "hi", "label": "neutral"}\n{"label": "neutral"}\n')
    result = moodline("train", "--data", str(missing))
    assert "team.jsonl:2" in result.stderr and "'text'" in result.stderr


@pytest.mark.slow
def test_train_a_team_head_switch_to_it_and_back(
    tmp_path: Path, fast_encoder: Encoder, locations: Locations
) -> None:
    rows = [
        ("the courier left it at the wrong house, can you check", "neutral"),
        ("you people never read what I write", "negative"),
        ("brilliant, sorted in two minutes, thanks", "positive"),
    ] * 8
    rows += [(f"order {n} status please", "neutral") for n in range(8)]
    data = tmp_path / "team.jsonl"
    data.write_text("\n".join(json.dumps({"text": t, "label": lab}) for t, lab in rows))
    # --data-dir moves the trained heads with the history (the issue-13 finding: it did not).
    elsewhere = ("--data-dir", str(tmp_path / "elsewhere"))
    result = moodline("train", "--data", str(data), "--name", "team-a", "--activate", *elsewhere)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["head"] == "team-a" and "this_head" in report["holdout"]
    assert Path(report["folder"]) == tmp_path / "elsewhere" / "heads" / "team-a"
    assert not locations.heads.exists()
    assert load_settings(locations.settings_file).active_head == "team-a"
    scored = moodline(
        "score", "--head", "active", *elsewhere, stdin="you people never read what I write\n"
    )
    assert json.loads(scored.stdout)["label"] == "negative"
    listing = moodline("model", "list", *elsewhere)
    assert "* team-a" in listing.stdout
    assert "team-a" not in moodline("model", "list").stdout  # the default data dir has none
    back = moodline("model", "use", "shipped", *elsewhere)
    assert back.returncode == 0 and load_settings(locations.settings_file).active_head == "shipped"
    head_file = Path(report["folder"]) / "head.npz"
    head_file.write_bytes(head_file.read_bytes()[:-8] + b"tampered")
    refused = moodline("model", "use", "team-a", *elsewhere)
    assert refused.returncode == 5 and "does not match" in refused.stderr


def test_bad_settings_are_a_clear_error_at_start(isolated_dirs: Path) -> None:
    config = isolated_dirs / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text('window_size = 0\nport = "high"\ncolour = 1\n')
    with pytest.raises(SettingsError) as error:
        load_settings(config / "settings.toml")
    text = str(error.value)
    assert "window_size" in text and "port" in text and "colour" in text
    result = moodline("daemon")
    assert result.returncode == 3 and "window_size" in result.stderr


def test_export_writes_csv_and_jsonl(tmp_path: Path, isolated_dirs: Path) -> None:
    from moodline.daemon.api_models import MessagesRequest
    from moodline.daemon.scoring.heads import load_shipped_head
    from moodline.daemon.scoring.scorer import MessageScorer
    from moodline.daemon.service import SentimentService
    from moodline.daemon.settings import Settings
    from moodline.daemon.store.history import HistoryStore

    class FixedEncoder:
        name = "fixed"

        def encode(self, texts: Sequence[str]) -> np.ndarray:
            return np.zeros((len(texts), 384), dtype=np.float32)

    head, _ = load_shipped_head()
    store = HistoryStore(isolated_dirs / "data" / "history.sqlite3")
    service = SentimentService(
        store, MessageScorer(FixedEncoder(), head), Settings().window_config()
    )
    service.ingest(
        MessagesRequest.model_validate(
            {
                "conversation_id": "c",
                "messages": [{"id": "1", "role": "customer", "text": "hi, ok"}],
            }
        )
    )
    store.close()
    out = tmp_path / "out.csv"
    result = moodline("export", "--format", "csv", "--output", str(out), "--since", "2020-01-01")
    assert result.returncode == 0, result.stderr
    assert out.read_text().splitlines()[1].startswith("c,")
    jsonl = moodline("export", "--format", "jsonl")
    assert json.loads(jsonl.stdout.splitlines()[0])["text"] == "hi, ok"
    future = moodline("export", "--since", "2999-01-01")
    assert future.stdout == ""
    bad = moodline("export", "--since", "yesterday")
    assert bad.returncode == 2 and "ISO date" in bad.stderr


def test_every_exit_code_is_in_the_readme_with_its_meaning() -> None:
    from moodline.exit_codes import MEANINGS

    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    assert len(set(MEANINGS)) == len(MEANINGS)
    for code, meaning in MEANINGS.items():
        assert f"{code} {meaning}" in readme, code


def test_a_raised_error_becomes_its_exit_code_and_one_clear_line(
    capsys: pytest.CaptureFixture[str], isolated_dirs: Path
) -> None:
    from moodline.cli import main
    from moodline.exit_codes import EXIT_CONFIG, EXIT_MODEL, EXIT_USAGE

    assert main(["model", "use", "no-such-head"]) == EXIT_MODEL
    err = capsys.readouterr().err
    assert err.startswith("moodline model: no head named 'no-such-head'") and "Traceback" not in err
    assert main(["export", "--since", "last tuesday"]) == EXIT_USAGE
    assert "moodline export: --since 'last tuesday' is not an ISO date" in capsys.readouterr().err
    (isolated_dirs / "config").mkdir(parents=True, exist_ok=True)
    (isolated_dirs / "config" / "settings.toml").write_text("window_size = 0\n")
    assert main(["model", "list"]) == EXIT_CONFIG
    assert "window_size" in capsys.readouterr().err


def test_every_error_in_the_table_maps_to_a_documented_code() -> None:
    from moodline.errors import CommandError
    from moodline.exit_codes import ERROR_CODES, EXIT_FAILED, MEANINGS, exit_code_for

    for kind, code in ERROR_CODES:
        assert code in MEANINGS
        assert exit_code_for(kind("x")) == code, kind
    assert exit_code_for(CommandError("x")) == EXIT_FAILED


@pytest.mark.slow
def test_a_team_trains_a_head_for_its_own_language_too(
    tmp_path: Path, locations: Locations
) -> None:
    rows = [
        ("the courier left it at the wrong house, can you check", "neutral"),
        ("you people never read what I write", "negative"),
        ("brilliant, sorted in two minutes, thanks", "positive"),
        ("¿me puede decir cuándo llega el pedido 4471?", "neutral"),
        ("otra vez lo mismo, nadie lee lo que escribo", "negative"),
        ("genial, ya funciona todo, muchísimas gracias", "positive"),
        ("quería cambiar la dirección de entrega, por favor", "neutral"),
        ("esto es una tomadura de pelo, quiero mi dinero", "negative"),
        ("qué rapidez, da gusto, gracias de verdad", "positive"),
    ] * 6
    data = tmp_path / "team.jsonl"
    data.write_text("\n".join(json.dumps({"text": t, "label": lab}) for t, lab in rows))
    result = moodline("train", "--data", str(data), "--name", "team-es")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    other = report["other_languages"]
    assert other["messages"] == 36 and "this_head" in other["holdout"]
    second = locations.heads / "team-es" / "multilingual"
    assert (second / "head.npz").is_file() and (second / "metadata.json").is_file()
    scored = moodline("score", "--head", "team-es", stdin="esto es una tomadura de pelo\n")
    line = json.loads(scored.stdout)
    assert (line["language"], line["path"], line["label"]) == ("es", "multilingual", "negative")
