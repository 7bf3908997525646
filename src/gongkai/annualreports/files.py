"""The names and types of an annual report's files, the same on the staff download and the public page."""

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_name(content, ext: str) -> str:
    """``content`` (a ReportContent) as ``<its title>.<ext>``."""
    return f"{content.title}.{ext}"
