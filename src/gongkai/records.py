"""Append-only logs: the case log of an application, the review decisions of a document and of an
annual report. Once written, a row is evidence of who did what when; it is never changed or deleted."""

from django.core.exceptions import ValidationError
from django.db import models


class AppendOnlyRecord(models.Model):
    record_name = "记录"  # what the refusal calls a row, e.g. 办理记录

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(f"{self.record_name}只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"{self.record_name}只能追加，不能删除。")
