"""Audit of published annual reports: read any report, extract its tables, say what is wrong."""
