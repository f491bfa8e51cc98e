"""Serves stored images at /media/<id>-<digest>.jpg and /media/<id>-<digest>/thumb.jpg."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort
from sqlalchemy.orm import undefer

from bot.runtime import runtime
from models.media import MediaImage

bp = Blueprint("media", __name__)

# media_images.id is an INTEGER column, which PostgreSQL stores in 32 bits: a larger id in a URL can name no
# image, and handing it to the database fails with an overflow (a 500) instead of a 404. The route's converter
# refuses it, so no query is made.
MAX_IMAGE_ID = 2**31 - 1
_ID = f"int(max={MAX_IMAGE_ID})"


def _serve(image_id: int, digest: str, thumb: bool) -> Response:
    column = MediaImage.thumb_jpeg if thumb else MediaImage.display_jpeg
    with runtime().db.transaction() as session:
        image = session.query(MediaImage).options(undefer(column)).filter(MediaImage.id == image_id).one_or_none()
        if image is None or not image.digest.startswith(digest) or len(digest) != 16:
            abort(404)
        data = image.thumb_jpeg if thumb else image.display_jpeg
    response = Response(data, mimetype="image/jpeg")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get(f"/media/<{_ID}:image_id>-<digest>.jpg")
def display(image_id: int, digest: str) -> Response:
    return _serve(image_id, digest, thumb=False)


@bp.get(f"/media/<{_ID}:image_id>-<digest>/thumb.jpg")
def thumb(image_id: int, digest: str) -> Response:
    return _serve(image_id, digest, thumb=True)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
