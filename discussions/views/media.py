"""Serve an uploaded image: only what was stored, only as an image, never as a document the browser runs."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from community.tenancy import community_scope

from ..services.uploads import upload_find

TOKEN_LENGTH = 32


@require_GET
def upload_file(request, community_id: int, name: str):
    token, extension = (
        name[:TOKEN_LENGTH],
        name[TOKEN_LENGTH:],
    )  # <32 hex digits><.ext>, as services/uploads.py names it
    with community_scope(community_id):
        upload = upload_find(community_id=community_id, token=token, extension=extension)
    if upload is None:
        raise Http404("No such file.")
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(handle, content_type=upload.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    # Even if a browser were tricked into treating it as a page, it could run nothing and reach nothing.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "public, max-age=31536000, immutable"  # the token names these bytes for ever
    return response
