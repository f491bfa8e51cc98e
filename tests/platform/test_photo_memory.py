"""A photo's cost to the process is bounded: streamed download with a byte cap, decode budget, two decodes at once.

Peak memory is read from /proc/self/status (VmHWM) in a fresh process per photo: tracemalloc does not see Pillow's
pixel buffers (Pillow allocates them with its own malloc), and a fresh process keeps earlier tests out of the peak.
These are memory figures, not timings: they depend on Pillow and libjpeg, not on how busy the machine is.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from bench.photo_memory import CASES, MB, measure
from bot.line_client import LineClient
from services import images
from tests.conftest import ADMIN_ID, ROOT, TOKEN
from tests.market.conftest import approved_shop, jpeg
from texts import images as images_texts

pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")

PHOTO_BUDGET_MB = 64


def _png(mode: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG", compress_level=1)
    return out.getvalue()


# --- one photo of any accepted size adds at most about 64 MB -------------------------------------------------------

@pytest.mark.parametrize("case", ["rgba_png", "rgb_png", "palette_png", "rgb_png_9mb", "grey_png", "jpeg_40mp",
                                  "jpeg_cmyk", "jpeg_progressive", "webp"])
def test_the_worst_accepted_photo_of_each_kind_adds_under_64_mb(case):
    result = measure(CASES[case][1]())
    assert result["outcome"] == "accepted"
    # The download buffer is counted at its cap, whatever this file's size: it is held while the photo is decoded.
    assert images.MAX_BYTES / MB + result["growth_mb"] < PHOTO_BUDGET_MB, result


@pytest.mark.parametrize("mode,accepted,refused", [
    ("RGBA", (2280, 2280), (2330, 2330)),
    ("RGB", (2890, 2890), (2940, 2940)),
    ("L", (5780, 5780), (5850, 5850)),
])
def test_those_are_the_largest_accepted_of_their_mode(mode, accepted, refused):
    assert images.accept_image(_png(mode, accepted)).width == images.DISPLAY_EDGE
    with pytest.raises(images.ImageRejected) as caught:
        images.accept_image(_png(mode, refused))
    assert caught.value.code == "too_many_pixels"


def test_the_6300_px_rgba_png_of_the_issue_is_refused_from_its_header_without_decoding():
    result = measure(CASES["rgba_png_6300"][1]())  # under the pixel limit, but 159 MB once decoded
    assert result["outcome"] == "too_many_pixels" and result["growth_mb"] < 8, result


def test_a_100_megapixel_photo_is_refused_from_its_header_without_decoding():
    result = measure(CASES["png_100mp"][1]())
    assert result["outcome"] == "too_many_pixels" and result["growth_mb"] < 8, result


# --- a burst of photos: at most MAX_DECODES decodes at once --------------------------------------------------------

def test_no_more_than_two_photos_are_decoded_at_once(monkeypatch):
    render = images._render
    active, peak, lock, release = [0], [0], threading.Lock(), threading.Event()

    def watched_render(image):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        release.wait(5)
        try:
            return render(image)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(images, "_render", watched_render)
    photo = jpeg((400, 300))
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(images.accept_image(photo))) for _ in range(5)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while active[0] < images.MAX_DECODES and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # room for a third to get in, if the semaphore let it
    assert active[0] == images.MAX_DECODES == 2
    release.set()
    for thread in threads:
        thread.join(10)
    assert len(results) == 5 and peak[0] == 2


# --- the download stops at the byte cap ------------------------------------------------------------------------------

class _EndlessPhoto(BaseHTTPRequestHandler):
    """Serves a 30 MB "photo" in chunks without a Content-Length, counting what it managed to send."""

    sent = 0
    done = threading.Event()
    chunk = b"\xff" * (64 * 1024)

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).sent = 0
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            for _ in range(30 * MB // len(self.chunk)):
                self.wfile.write(self.chunk)
                type(self).sent += len(self.chunk)
        except OSError:  # the client hung up: that is the point
            pass
        finally:
            type(self).done.set()

    def log_message(self, *args):
        pass


def test_a_download_over_the_byte_cap_stops_early_and_never_holds_the_body():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EndlessPhoto)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        client = LineClient("token", base, base, timeout=5)
        _EndlessPhoto.done.clear()
        tracemalloc.start()
        try:
            data = client.get_message_content("123", max_bytes=2 * MB)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert len(data) == 2 * MB + 1  # just enough for the size rule to see it is too big
        assert peak < 4 * MB  # the 2 MB kept, chunks and overhead; never the 30 MB body
        assert _EndlessPhoto.done.wait(5)
        assert _EndlessPhoto.sent < 20 * MB  # the connection was closed, not drained (30 MB)
    finally:
        server.shutdown()
        server.server_close()


def test_content_under_the_cap_comes_whole_and_the_connection_is_reused(line, emulator_server):
    server, _ = emulator_server
    client = LineClient(TOKEN, server.base_url, server.base_url, timeout=5)
    photo = jpeg()
    message_id = line.add_content(photo, "image/jpeg")
    assert client.get_message_content(message_id, max_bytes=len(photo)) == photo
    assert client.get_message_content(message_id) == photo  # no cap: as before
    assert len(client.get_message_content(message_id, max_bytes=100)) == 101


# --- what people are told ---------------------------------------------------------------------------------------------

@pytest.fixture
def seller(chat, rt):
    admin = chat("แอดมิน อบจ.", user_id=ADMIN_ID)
    somsri = chat("สมศรี")
    somsri.follow()
    approved_shop(somsri, rt)
    admin.collect()
    somsri.says("ลงขายสินค้า")
    somsri.says("ข้าวหอมมะลิอินทรีย์")
    somsri.taps("ผลผลิตทางการเกษตร")
    somsri.says("35 บาท")
    somsri.says("กิโลกรัม")
    somsri.says("ข้าวหอมมะลิปลอดสาร จากนาบ้านโนนศิลา")
    somsri.taps("อินทรีย์ ปลอดสารเคมี")
    somsri.taps("เสร็จแล้ว")
    return somsri


def test_a_too_large_product_photo_is_told_it_is_too_large_not_that_it_is_not_a_photo(seller):
    for photo in (_png("1", (10_000, 10_000)), CASES["rgba_png_6300"][1]()):
        reply = seller.sends_image(photo, "image/png")
        assert reply.texts == [images_texts.IMAGE_TOO_LARGE], reply.texts
    assert seller.sends_image(b"this is not a picture").texts == [images_texts.IMAGE_UNREADABLE]
    truncated = jpeg((1200, 900))
    assert seller.sends_image(truncated[: len(truncated) // 2]).texts == [images_texts.IMAGE_CORRUPT]
    assert "ได้รับรูปที่ 1" in seller.sends_image(jpeg()).text  # the flow is still there, nothing was lost


def test_a_30_mb_photo_is_cut_off_at_the_cap_and_answered_as_too_large(seller, rt, monkeypatch):
    fetched: list[tuple[int | None, int]] = []
    download = rt.line.get_message_content

    def spy(message_id: str, max_bytes: int | None = None) -> bytes:
        data = download(message_id, max_bytes=max_bytes)
        fetched.append((max_bytes, len(data)))
        return data

    monkeypatch.setattr(rt.line, "get_message_content", spy)
    reply = seller.sends_image(b"\xff\xd8" + b"\x00" * (30 * MB))
    assert reply.texts == [images_texts.IMAGE_TOO_MANY_BYTES.format(mb=10)]
    assert fetched == [(images.MAX_BYTES, images.MAX_BYTES + 1)]


def test_staff_announcing_with_a_huge_photo_is_told_it_is_too_large(chat):
    admin = chat("แอดมิน", user_id=ADMIN_ID)
    admin.says("ประกาศข่าว")
    admin.says("ข่าวงานวันเด็ก")
    reply = admin.sends_image(_png("1", (10_000, 10_000)), "image/png")
    assert reply.texts[0] == images_texts.IMAGE_TOO_LARGE


def test_the_benchmark_script_runs_end_to_end(tmp_path):
    out = tmp_path / "photo_memory.json"
    completed = subprocess.run([sys.executable, "bench/photo_memory.py", "--cases", "png_100mp", "--ways", "new,old",
                                "--json", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr[-2000:]
    [row] = json.loads(out.read_text())["cases"]
    assert (row["new"]["outcome"], row["old"]["outcome"]) == ("too_many_pixels", "unreadable")  # the issue's answer
