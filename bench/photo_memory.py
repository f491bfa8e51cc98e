"""Peak memory of one photo through services/images.py, for the worst accepted and refused photos.

    .venv/bin/python bench/photo_memory.py [--cases rgba_png,jpeg_40mp] [--json out.json]

Each photo is made once, in this process; then, for each way of handling it, a fresh child process reads it and
reports how much its peak RSS grew (VmHWM after minus before, the photo's bytes already in memory):
  new  services.images.accept_image, as the bot runs it;
  burst  four of the same photo through it at once, from four threads (as four users' photos would arrive);
  old  the pipeline it replaced (full decode, flattened on a full-size copy, a full-size copy per output size),
       without its checks, so that what it would have cost is seen even where the new one refuses;
  load a plain Image.open(...).load(), the least any full decode costs.
What a photo adds to the process is its bytes (the download) plus the growth. Memory, not time, is measured: the
figures hold on any machine with the same Pillow and libjpeg.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
BURST = 4  # photos handled at once by the "burst" way


def _png(mode: str, size: tuple[int, int], **info: object) -> bytes:
    from PIL import Image

    image = Image.new(mode, size)
    if mode == "P":
        image.putpalette([v for i in range(256) for v in (i, 255 - i, 128)])
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1, **info)
    return out.getvalue()


def _jpeg(mode: str, size: tuple[int, int], **options: object) -> bytes:
    from PIL import Image

    image = Image.linear_gradient("L").resize(size)
    if mode != "L":
        image = image.convert(mode)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, **options)
    return out.getvalue()


def _noisy_png(size: tuple[int, int], noise_bytes: int) -> bytes:
    """An RGB PNG whose top rows are random, so that the file is about `noise_bytes` long."""
    import random

    from PIL import Image

    image = Image.new("RGB", size, (200, 120, 40))
    rows = noise_bytes // (size[0] * 3)
    image.paste(Image.frombytes("RGB", (size[0], rows), random.Random(1).randbytes(size[0] * 3 * rows)), (0, 0))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()


def _webp(size: tuple[int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", size, (10, 200, 30, 128)).save(out, "WEBP", lossless=True)
    return out.getvalue()


# name -> (what it is, how to make it). The accepted ones sit just under services.images.DECODE_BUDGET.
CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "rgba_png": ("largest accepted RGBA PNG, 2280x2280", lambda: _png("RGBA", (2280, 2280))),
    "rgb_png": ("largest accepted RGB PNG, 2890x2890", lambda: _png("RGB", (2890, 2890))),
    "palette_png": ("largest accepted transparent palette PNG, 2280x2280",
                    lambda: _png("P", (2280, 2280), transparency=0)),
    "rgb_png_9mb": ("largest accepted RGB PNG with a 9 MB file (part noise)",
                    lambda: _noisy_png((2890, 2890), 9 * MB)),
    "grey_png": ("largest accepted greyscale PNG, 5780x5780", lambda: _png("L", (5780, 5780))),
    "jpeg_40mp": ("largest accepted JPEG, 7744x5164 (40 MP), decoded at 1/4", lambda: _jpeg("RGB", (7744, 5164))),
    "jpeg_cmyk": ("worst JPEG for DCT scaling: CMYK 2047x2047, decoded at full size",
                  lambda: _jpeg("CMYK", (2047, 2047))),
    "jpeg_progressive": ("largest accepted progressive JPEG, 3500x2600 (whole-image coefficients)",
                         lambda: _jpeg("RGB", (3500, 2600), progressive=True)),
    "webp": ("largest accepted WebP with alpha, 1440x1440", lambda: _webp((1440, 1440))),
    "rgba_png_6300": ("6300x6300 RGBA PNG (refused now: 159 MB decoded)", lambda: _png("RGBA", (6300, 6300))),
    "png_100mp": ("100-megapixel PNG (refused)", lambda: _png("1", (10_000, 10_000))),
}


def _hwm_kb() -> int:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]


def _old_pipeline(data: bytes) -> str:
    """The pipeline before this change, checks included (10 MB, 40 MP, Pillow's bomb warning as an error)."""
    import warnings

    from PIL import Image, ImageOps

    if len(data) > 10 * MB:
        return "too_large"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - what the old code answered "not an image"
        return "unreadable"
    if probe.size[0] * probe.size[1] > 40_000_000:
        return "too_many_pixels"
    image = Image.open(io.BytesIO(data))
    image.load()
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.split()[-1])
        image = background
    elif image.mode != "RGB":
        image = image.convert("RGB")
    for edge in (1024, 240):
        copy = image.copy()
        copy.thumbnail((edge, edge), Image.Resampling.LANCZOS)
        copy.save(io.BytesIO(), "JPEG", quality=85, optimize=True, progressive=True)
    return "accepted"


def _burst(data: bytes, photos: int = BURST) -> str:
    """Several users' photos at once: services.images decodes MAX_DECODES of them at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from services import images

    def one(_: int) -> str:
        try:
            images.accept_image(data)
        except images.ImageRejected as exc:
            return exc.code
        return "accepted"

    with ThreadPoolExecutor(photos) as pool:
        outcomes = set(pool.map(one, range(photos)))
    return ",".join(sorted(outcomes))


def _child(how: str, path: str) -> dict:
    """Runs in the fresh process: handles the photo one way and reports the peak RSS growth."""
    import gc
    import warnings

    sys.path.insert(0, str(ROOT))
    warnings.simplefilter("ignore")  # Pillow's DecompressionBombWarning: this is about memory, not the warning
    from PIL import Image

    from services import images

    data = Path(path).read_bytes()
    gc.collect()
    before = _hwm_kb()
    outcome = "accepted"
    try:
        if how == "new":
            images.accept_image(data)
        elif how == "burst":
            outcome = _burst(data)
        elif how == "old":
            outcome = _old_pipeline(data)
        else:
            Image.open(io.BytesIO(data)).load()
    except images.ImageRejected as exc:
        outcome = exc.code
    except Exception as exc:  # noqa: BLE001 - the old pipeline's failures are part of what is measured
        outcome = f"error: {type(exc).__name__}"
    return {"how": how, "outcome": outcome, "bytes": len(data), "growth_mb": round((_hwm_kb() - before) / 1024, 1)}


def measure(data: bytes, how: str = "new", timeout: float = 120) -> dict:
    """Handles one photo one way in a fresh process: {"how", "outcome", "bytes", "growth_mb"}."""
    with tempfile.NamedTemporaryFile(suffix=".img") as handle:
        handle.write(data)
        handle.flush()
        completed = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", how, handle.name],
                                   cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-2000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated; default: all")
    parser.add_argument("--ways", default="new,burst,old,load", help="comma-separated among new, burst, old, load")
    parser.add_argument("--json", help="also write the result here")
    parser.add_argument("--child", nargs=2, metavar=("HOW", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_child(*args.child)))
        return 0
    results = []
    for name in args.cases.split(","):
        what, make = CASES[name]
        data = make()
        row: dict = {"case": name, "what": what, "bytes_mb": round(len(data) / MB, 2)}
        for how in args.ways.split(","):
            measured = measure(data, how)
            row[how] = {"outcome": measured["outcome"], "growth_mb": measured["growth_mb"]}
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"cases": results}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
