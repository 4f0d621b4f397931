"""Outreach pages: letters (and their templates), partner networks, the materials library."""

from django.http import FileResponse, Http404

from ..uploads import content_type_for, extension_of


def attachment(stored_file, *, title: str) -> FileResponse:
    """A stored upload as a download, never inline: the content type of its checked
    extension, `nosniff`, and a policy that lets nothing in it run if a browser opens it."""
    try:
        handle = stored_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True,
                            filename=f"{title}.{extension_of(stored_file.name)}",
                            content_type=content_type_for(stored_file.name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
