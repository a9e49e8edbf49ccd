"""Image uploads: re-encoded (polyglots and metadata do not survive), limited per member, and served safely."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from community.errors import ServiceError
from discussions.models import Upload
from discussions.services import uploads


def _image(fmt: str = "PNG", size=(8, 6), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    options = {"exif": exif} if exif else {}
    Image.new("RGB", size, (200, 80, 20)).save(out, format=fmt, **options)
    return out.getvalue()


def _exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0)}  # GPS latitude
    return exif.tobytes()


JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _upload(f, data: bytes, name="a.png"):
    return uploads.upload_create(community=f.a, actor=f.actor(f.bob), file=SimpleUploadedFile(name, data))


def test_an_image_is_stored_re_encoded_by_its_real_format(in_a, media):
    upload = _upload(in_a, _image("JPEG"), name="looks-like.png")
    assert upload.content_type == "image/jpeg" and upload.file.name.endswith(".jpg")
    with Image.open(media / upload.file.name) as stored:
        assert stored.format == "JPEG" and stored.size == (8, 6)


def test_exif_and_gps_metadata_do_not_survive(in_a, media):
    original = _image("JPEG", exif=_exif_with_gps())
    assert b"CameraMaker" in original
    upload = _upload(in_a, original, name="photo.jpg")
    stored = (media / upload.file.name).read_bytes()
    assert b"CameraMaker" not in stored and b"Exif" not in stored


def test_a_polyglot_keeps_only_its_pixels(in_a, media):
    """A real PNG with HTML after its end passed the old 16-byte sniff and was served as is."""
    polyglot = _image("PNG") + b"<html><script>alert(document.cookie)</script></html>"
    upload = _upload(in_a, polyglot)
    assert b"<script>" not in (media / upload.file.name).read_bytes()


@pytest.mark.parametrize(
    "data",
    [b"<script>alert(1)</script>", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"GIF89a<svg onload=alert(1)>", b""],
)
def test_what_does_not_decode_as_an_image_is_refused(in_a, media, data):
    with pytest.raises(ServiceError, match="PNG, JPEG, GIF or WebP"):
        _upload(in_a, data)
    assert not Upload.objects.for_community(in_a.a).exists()


def test_a_decompression_bomb_is_refused_by_pixel_count(in_a, media, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 100)
    with pytest.raises(ServiceError, match="too many pixels"):
        _upload(in_a, _image("PNG", size=(20, 20)))


def test_oversized_files_are_refused(in_a, media):
    with pytest.raises(ServiceError, match="too large"):
        _upload(in_a, _image("PNG") + b"\x00" * (5 * 1024 * 1024))


def test_a_member_has_a_daily_quota(in_a, media, settings):
    settings.HEARTH_UPLOAD_DAILY_COUNT = 2
    _upload(in_a, _image())
    _upload(in_a, _image())
    with pytest.raises(ServiceError, match="upload limit") as refused:
        _upload(in_a, _image())
    assert refused.value.code == "rate_limited"
    # Another member's uploads do not count against Bob.
    uploads.upload_create(community=in_a.a, actor=in_a.actor(in_a.carol), file=SimpleUploadedFile("c.png", _image()))


def test_the_daily_quota_counts_bytes_too(in_a, media, settings):
    data = _image()
    settings.HEARTH_UPLOAD_DAILY_BYTES = len(data) + 10
    _upload(in_a, data)
    with pytest.raises(ServiceError, match="upload limit"):
        _upload(in_a, data)


def test_the_upload_page_answers_json_and_the_url_it_returns_serves_the_image(client, forum, media):
    client.force_login(forum.world.bob)
    response = client.post("/c/alpha/d/uploads/", {"file": SimpleUploadedFile("a.png", _image())}, **JSON)
    assert response.status_code == 201
    url = response.json()["url"]
    assert response.json()["markdown"] == f"![image]({url})" and url.startswith("/media/discussions/")
    served = client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    bad = client.post("/c/alpha/d/uploads/", {"file": SimpleUploadedFile("a.txt", b"hello")}, **JSON)
    assert bad.status_code == 400 and "PNG" in bad.json()["error"]


def test_without_script_the_form_post_comes_back_to_the_page_with_the_markdown(client, forum, media):
    client.force_login(forum.world.bob)
    page = "/c/alpha/d/s/general/new/"
    response = client.post(
        "/c/alpha/d/uploads/", {"file": SimpleUploadedFile("a.png", _image())}, HTTP_REFERER=page, follow=True
    )
    assert response.redirect_chain[0] == (page, 302)
    assert "![image](/media/discussions/" in response.content.decode()
    refused = client.post(
        "/c/alpha/d/uploads/", {"file": SimpleUploadedFile("a.txt", b"x")}, HTTP_REFERER=page, follow=True
    )
    assert "PNG, JPEG, GIF or WebP" in refused.content.decode()


def test_unknown_or_other_communities_media_paths_answer_404(client, forum, media):
    client.force_login(forum.world.bob)
    url = client.post("/c/alpha/d/uploads/", {"file": SimpleUploadedFile("a.png", _image())}, **JSON).json()["url"]
    _, _, _, community_id, name = url.split("/")
    assert client.get(f"/media/discussions/{forum.b.pk}/{name}").status_code == 404
    assert client.get(f"/media/discussions/{community_id}/{'0' * 32}.png").status_code == 404
    assert client.get(f"/media/discussions/{community_id}/{name[:-4]}.gif").status_code == 404
