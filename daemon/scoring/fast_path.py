"""The fast path: the encoder exported to ONNX, int8-quantized, verified, kept in the user cache.

Built once (first start, `moodline model build`, or install) with torch; used afterwards with only
onnxruntime + tokenizers, so the daemon never imports torch.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from moodline.daemon import paths
from moodline.daemon.scoring.encoders import OnnxEncoder, reference_model_dir
from moodline.daemon.scoring.hashing import ModelIntegrityError, sha256_file
from moodline.daemon.scoring.quantize import quantize

FORMAT = 3  # 3: transformer weights 8-bit (daemon/scoring/quantize.py)
MODEL_FILE = "encoder.onnx"  # 8-bit transformer weights: the daemon's (least memory)
# fp32 transformer weights: ~2x the batch throughput on CPUs without int8 dot-product
# instructions, so `moodline score` uses it for streams; 30 MB more on disk, never in the daemon.
BATCH_MODEL_FILE = "encoder-batch.onnx"
TOKENIZER_FILE = "tokenizer.json"
MANIFEST_FILE = "manifest.json"
MIN_LABEL_AGREEMENT = 0.99

Progress = Callable[[str], None]


def default_folder() -> Path:
    """Where the fast path lives: `<user cache>/fast-path`."""
    return paths.cache_dir() / "fast-path"


def read_manifest(folder: Path | None = None) -> dict[str, Any] | None:
    """The build manifest, or None when the fast path is not built (or from an older format)."""
    path = (folder or default_folder()) / MANIFEST_FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    return manifest


def load_fast_encoder(
    folder: Path | None = None, threads: int = 1, batch: bool = False
) -> OnnxEncoder | None:
    """The ONNX encoder if built (`batch`: the one for streams of many texts); None if not
    built; an error if its file was altered."""
    folder = folder or default_folder()
    manifest = read_manifest(folder)
    if manifest is None:
        return None
    name = BATCH_MODEL_FILE if batch and BATCH_MODEL_FILE in manifest["files"] else MODEL_FILE
    model = folder / name
    if not model.is_file() or sha256_file(model) != manifest["files"][name]:
        raise ModelIntegrityError(
            f"the fast-path model in {folder} is missing or altered; "
            "rebuild it with `moodline model build --force`"
        )
    return OnnxEncoder(model, folder / TOKENIZER_FILE, threads=threads)


def _export_onnx(target: Path, progress: Progress) -> None:
    import torch
    from transformers import AutoModel

    progress("exporting the encoder to ONNX (torch)")
    model = AutoModel.from_pretrained(str(reference_model_dir()), local_files_only=True)
    model.eval()

    class _KeywordCall(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    dummy = torch.ones((2, 8), dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            _KeywordCall(model),
            (dummy, dummy, torch.zeros_like(dummy)),
            str(target),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "last_hidden_state": axes,
            },
            opset_version=17,
            dynamo=False,
        )


def compare_with_reference(
    fast: OnnxEncoder,
    texts: Sequence[str],
    label_fn: Callable[[np.ndarray, Sequence[str]], np.ndarray],
    progress: Progress,
) -> dict[str, float]:
    """Label agreement and cosine similarity of the fast path against sentence-transformers."""
    from moodline.daemon.scoring.encoders import SentenceTransformerEncoder
    from moodline.daemon.scoring.text_prep import prepare_text

    progress(f"verifying against sentence-transformers on {len(texts)} texts")
    prepared = [prepare_text(t) for t in texts]
    reference = SentenceTransformerEncoder(threads=2).encode(prepared)
    candidate = fast.encode(prepared)
    cosines = (reference * candidate).sum(axis=1)
    agree = label_fn(reference, texts) == label_fn(candidate, texts)
    return {
        "texts": float(len(texts)),
        "label_agreement": float(agree.mean()),
        "cosine_mean": float(cosines.mean()),
        "cosine_min": float(cosines.min()),
    }


def build_fast_path(
    verification_texts: Sequence[str],
    label_fn: Callable[[np.ndarray, Sequence[str]], np.ndarray],
    folder: Path | None = None,
    progress: Progress = print,
) -> dict[str, Any]:
    """Export, quantize and verify; install atomically into `folder`; return the manifest."""
    import onnxruntime
    import tokenizers

    folder = folder or default_folder()
    started = time.perf_counter()
    progress(f"building the fast path in {folder}")
    with tempfile.TemporaryDirectory(prefix="moodline-fastpath-") as tmp:
        work = Path(tmp)
        _export_onnx(work / "encoder-fp32.onnx", progress)
        shutil.copyfile(reference_model_dir() / TOKENIZER_FILE, work / TOKENIZER_FILE)
        checks: dict[str, dict[str, float]] = {}
        recipes: dict[str, str] = {}
        # Both recipes are built and verified: the 8-bit one for the daemon (falling back to the
        # fp32-weight one where this machine's kernels make it disagree too often) and the
        # fp32-weight one for batch scoring.
        for name, compress in ((BATCH_MODEL_FILE, False), (MODEL_FILE, True)):
            try:
                recipes[name] = quantize(
                    work / "encoder-fp32.onnx", work / name, progress, compress_matmuls=compress
                )
            except (ImportError, RuntimeError, ValueError) as exc:
                # A quantizer this onnxruntime lacks or refuses: the fp32-weight model (already
                # verified) serves.
                progress(f"8-bit transformer weights not available here ({exc})")
                shutil.copyfile(work / BATCH_MODEL_FILE, work / name)
                recipes[name], checks[name] = recipes[BATCH_MODEL_FILE], checks[BATCH_MODEL_FILE]
                continue
            fast = OnnxEncoder(work / name, work / TOKENIZER_FILE)
            checks[name] = compare_with_reference(fast, verification_texts, label_fn, progress)
            del fast
        if checks[MODEL_FILE]["label_agreement"] < MIN_LABEL_AGREEMENT:
            progress(
                f"8-bit transformer weights agree on only "
                f"{checks[MODEL_FILE]['label_agreement']:.1%} of labels here; "
                "using fp32 transformer weights"
            )
            shutil.copyfile(work / BATCH_MODEL_FILE, work / MODEL_FILE)
            recipes[MODEL_FILE], checks[MODEL_FILE] = (
                recipes[BATCH_MODEL_FILE],
                checks[BATCH_MODEL_FILE],
            )
        verification, recipe = checks[MODEL_FILE], recipes[MODEL_FILE]
        if verification["label_agreement"] < MIN_LABEL_AGREEMENT:
            raise ModelIntegrityError(
                f"fast path agrees with sentence-transformers on only "
                f"{verification['label_agreement']:.1%} of labels (need "
                f"{MIN_LABEL_AGREEMENT:.0%}); keeping the reference encoder"
            )
        manifest = {
            "format": FORMAT,
            "encoder": "sentence-transformers/all-MiniLM-L6-v2",
            "reference_weights_sha256": sha256_file(reference_model_dir() / "model.safetensors"),
            "files": {
                MODEL_FILE: sha256_file(work / MODEL_FILE),
                BATCH_MODEL_FILE: sha256_file(work / BATCH_MODEL_FILE),
                TOKENIZER_FILE: sha256_file(work / TOKENIZER_FILE),
            },
            "quantization": recipe,
            "verification": verification,
            "batch_quantization": recipes[BATCH_MODEL_FILE],
            "batch_verification": checks[BATCH_MODEL_FILE],
            "versions": {
                "onnxruntime": onnxruntime.__version__,
                "tokenizers": tokenizers.__version__,
            },
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_seconds": round(time.perf_counter() - started, 1),
        }
        (work / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        (work / "encoder-fp32.onnx").unlink()
        staging = folder.with_name(folder.name + ".new")
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(work, staging)
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    progress(
        f"fast path ready: label agreement {verification['label_agreement']:.2%}, "
        f"mean cosine {verification['cosine_mean']:.4f}"
    )
    return manifest
