"""The annual report's outputs, all drawn from one :class:`~gongkai.domain.annual_report.content.ReportContent`
through one layout (:mod:`gongkai.domain.annual_report.layout`):

- :func:`docx_bytes`: Word (.docx), A4, the official tables with real merged cells;
- :func:`html_fragment`: the report body as escaped HTML (title, opening, the six sections, tables);
- :func:`pdf_bytes`: PDF printed by WeasyPrint from a page around that same fragment.

Each output reads back through the audit reader (:func:`gongkai.domain.audit.audit_bytes`) to the
very tables it was made from (tests/integration/test_report_outputs.py).
"""

from gongkai.annualreports.render._docx import docx_bytes
from gongkai.annualreports.render._html import html_fragment, html_page
from gongkai.annualreports.render._pdf import pdf_bytes

__all__ = ["docx_bytes", "html_fragment", "html_page", "pdf_bytes"]
