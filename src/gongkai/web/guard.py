"""Every request passes here first: its size is capped, and control characters are taken out of
what was typed before any view, form or query sees it.

Size (defect: uploads were read whole and nothing capped a request). Three layers, each a setting:

- ``GONGKAI_MAX_REQUEST_BYTES``: a request announcing a larger ``Content-Length`` is answered
  413 with a Chinese page before a byte of its body is read; the web server in front should refuse
  it even earlier (nginx ``client_max_body_size``, docs/DEPLOYMENT.md).
- :class:`LimitedUploadHandler` (first of ``FILE_UPLOAD_HANDLERS``) counts the bytes of the files
  while Django's parser streams them, and stops the upload the moment the total passes the same
  cap — for a body whose length was not announced, or announced falsely. Files above
  ``FILE_UPLOAD_MAX_MEMORY_SIZE`` go to temporary files on disk, never into memory, and each form
  checks a file's own limit on its size before reading it.
- Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (the text fields) and ``DATA_UPLOAD_MAX_NUMBER_FILES``;
  what they refuse is answered with the same 413 page instead of a bare 400.

Control characters (defect: ``/xxgk/search/?q=ab%00`` was a 500). PostgreSQL refuses NUL in text
and SQLite's FTS5 query parser chokes on it; Word (lxml) and Excel (openpyxl) files refuse the
other C0 control characters, so a name typed with one would later break a letter or an export.
Django's form ``CharField`` refuses NUL, but the search, the filters and several buttons read
``request.GET``/``request.POST`` directly. Nothing typed needs these characters, so they are
removed here from every query-string and form key and value and from uploaded file names, before
any code can use them (tab, line feed and carriage return stay). A view may tell the visitor:
``request.control_characters_removed`` is then true. A path containing one is refused (400).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.shortcuts import render

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

TOO_LARGE = "提交的内容过大（上限{limit}），没有保存任何内容。请减少或压缩文件后分批提交。"
TOO_MANY_FILES = "一次提交的文件过多（上限{count}个），没有保存任何内容。请分批提交，或打包为ZIP文件。"
BAD_PATH = "网址中含有无法识别的控制字符，请检查网址后重试。"


def clean_text(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def max_request_bytes() -> int:
    return int(settings.GONGKAI_MAX_REQUEST_BYTES)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}MB" if n >= 1024 * 1024 else f"{n // 1024}KB"


class LimitedUploadHandler(FileUploadHandler):
    """Stops a multipart upload as soon as its files together pass ``GONGKAI_MAX_REQUEST_BYTES``.

    Django's parser hands each chunk to the handlers in order; this one only counts and passes the
    chunk on to the memory/temporary-file handlers behind it. On the limit it marks the request
    and raises ``StopUpload`` without reading the rest, and :class:`RequestGuardMiddleware`
    answers 413."""

    def __init__(self, request=None):
        super().__init__(request)
        self.total = 0

    def receive_data_chunk(self, raw_data, start):
        self.total += len(raw_data)
        if self.total > max_request_bytes():
            if self.request is not None:
                self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def _clean_querydict(data: QueryDict) -> QueryDict | None:
    """A cleaned copy of ``data``, or None when it holds no control character."""
    if not any(CONTROL_CHARACTERS.search(k) or any(CONTROL_CHARACTERS.search(v) for v in vs) for k, vs in data.lists()):
        return None
    out = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        out.setlist(clean_text(key), [clean_text(v) for v in values])
    out._mutable = False
    return out


class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.control_characters_removed = False
        if CONTROL_CHARACTERS.search(request.path):
            return self._refuse(request, BAD_PATH, status=400)
        try:
            announced = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            announced = 0
        if announced > max_request_bytes():
            return self._too_large(request)
        if request.method == "POST":
            try:
                post, files = request.POST, request.FILES  # parsed now, through LimitedUploadHandler
            except RequestDataTooBig:
                return self._too_large(request)
            except TooManyFilesSent:
                count = settings.DATA_UPLOAD_MAX_NUMBER_FILES
                return self._refuse(request, TOO_MANY_FILES.format(count=count), status=413)
            if getattr(request, "upload_too_large", False):
                return self._too_large(request)
            cleaned = _clean_querydict(post)
            if cleaned is not None:
                request.POST = cleaned
                request.control_characters_removed = True
            for upload in files.values():
                if upload.name and CONTROL_CHARACTERS.search(upload.name):
                    upload.name = clean_text(upload.name) or "file"
                    request.control_characters_removed = True
        cleaned = _clean_querydict(request.GET)
        if cleaned is not None:
            request.GET = cleaned
            request.control_characters_removed = True
        return self.get_response(request)

    def _too_large(self, request):
        return self._refuse(request, TOO_LARGE.format(limit=_megabytes(max_request_bytes())), status=413)

    @staticmethod
    def _refuse(request, message: str, *, status: int):
        heading = "提交的内容过大" if status == 413 else "无法处理的请求"
        return render(request, "refused.html", {"message": message, "heading": heading}, status=status)
