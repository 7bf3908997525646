"""Proactive disclosure (主动公开, procedure.md §6): the review workflow, the agency's column tree and
the 第二十条 items, 索引号, the validity of 规章 and 行政规范性文件, attachments, and the counts of
table 二 and of the year's publications. Plain Python: the Django app ``gongkai.disclosure`` passes
everything in (the calendar, ``today``, whether a linked interpretation is approved)."""
