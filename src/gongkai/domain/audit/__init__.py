"""Audit of published annual reports: read any report, extract its tables, say what is wrong.

    bytes --sources.read_source--> RawDocument --normalise--> Document --audit_document--> AuditReport

- :func:`normalise` (normalise.py): simplified characters, half-width digits, web/Markdown residue
  removed, with an exact map from every character back to the original;
- recognise.py: agency, year (or template), format version, the six sections;
- labels.py / tables.py: tables 二, 三, 四 cell by cell under the spec's keys (``old_stats`` before 2019);
- prose.py: figures the prose states (收到申请5件, 其中…), with positions;
- findings.py: :func:`audit_document` / :func:`audit_bytes` and the rule ids.
"""

from gongkai.domain.audit.findings import audit_bytes, audit_document, audit_raw, clear_caches
from gongkai.domain.audit.model import AuditFinding, AuditReport, ProseFigure, RawDocument, SourceTable, Span
from gongkai.domain.audit.normalise import Document, normalise

__all__ = [
    "AuditFinding",
    "AuditReport",
    "Document",
    "ProseFigure",
    "RawDocument",
    "SourceTable",
    "Span",
    "audit_bytes",
    "audit_document",
    "audit_raw",
    "clear_caches",
    "normalise",
]
