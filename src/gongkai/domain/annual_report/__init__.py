"""The annual report (政府信息公开工作年度报告) as gongkai generates it: what it holds, how its
tables are counted and checked, the prose checklist and suggested sentences. Pure Python.

- content.py: :class:`ReportContent`, the one structure every output and check is made from;
- litigation.py: table 四 counted from the review and litigation register;
- assemble.py: tables 二/三/四 assembled for a year and every rule of its format run on them,
  with the cross-year notes;
- checklist.py: the points each prose section must cover, and whether it does;
- suggestions.py: sentences for the prose generated from the figures;
- markdown.py: the report as Markdown (read back by the audit reader);
- prose_check.py: figures quoted in the prose against the tables, through the audit reader;
- layout.py: the printed layout (blocks, table grids with merged cells) every output draws;
- workflow.py: the sign-off (office head, then leader) as a transition table.
"""
