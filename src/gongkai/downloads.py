"""Uploaded files handed back to a browser (application attachments, document attachments, review
papers): always as a download with the type gongkai checked at upload, never sniffed or shown inline."""

from django.http import FileResponse, Http404


def stored_file_response(file, *, filename: str, content_type: str, missing: str = "附件文件不存在") -> FileResponse:
    """``file`` (a FieldFile) as an attachment named ``filename``; 404 with ``missing`` when the stored
    file is gone."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(missing) from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
