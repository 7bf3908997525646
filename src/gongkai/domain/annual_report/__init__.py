"""The annual report (政府信息公开工作年度报告) as gongkai generates it: what it holds, how its
tables are counted and checked, the prose checklist and suggested sentences. Pure Python."""
