"""Exports a (fine-tuned) sentence-transformers encoder to ONNX and quantizes it for shipping.

The ONNX graph is the transformer alone (token ids in, last hidden state out); mean pooling and
L2 normalisation happen in numpy (`moodline.daemon.scoring.encoders`), as the model's
modules.json says. Needs torch and onnx: training only.
"""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from moodline.models.quantize import quantize

Progress = Callable[[str], None]
TOKENIZER_FILE = "tokenizer.json"


def export_onnx(model_dir: Path, target: Path, progress: Progress) -> None:
    """The transformer of the sentence-transformers model in `model_dir` as fp32 ONNX."""
    import torch
    from transformers import AutoModel

    progress(f"exporting {model_dir.name} to ONNX")
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
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
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's TracerWarnings about shape-dependent branches
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


def export_quantized(model_dir: Path, folder: Path, model_file: str, progress: Progress) -> str:
    """Write `model_file` (8-bit weights) and tokenizer.json into `folder`; return the recipe."""
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / (Path(model_file).stem + "-fp32.onnx")
    export_onnx(model_dir, fp32, progress)
    recipe = quantize(fp32, folder / model_file, progress)
    fp32.unlink()
    shutil.copyfile(model_dir / TOKENIZER_FILE, folder / TOKENIZER_FILE)
    return recipe
