"""Holiday notices entered by the agency for years the shipped calendar does not cover yet."""

from django.conf import settings
from django.db import models

from gongkai.domain import calendar as domain_calendar


class HolidayNotice(models.Model):
    year = models.PositiveSmallIntegerField(
        "年份", unique=True, help_text="通知所安排的年份（如2027）；一年只录入一份，后录入的替换随系统附带的同年安排。"
    )
    title = models.CharField("通知标题", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知")
    doc_no = models.CharField("文号", max_length=60, blank=True, help_text="如：国办发明电〔2026〕×号")
    published_on = models.DateField("发布日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        verbose_name="录入人",
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "节假日安排"
        verbose_name_plural = "节假日安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"

    def to_domain(self) -> domain_calendar.HolidayNotice:
        return domain_calendar.HolidayNotice(
            year=self.year,
            title=self.title,
            doc_no=self.doc_no,
            holidays=tuple(
                domain_calendar.HolidayRange(p.start, p.end, p.name) for p in self.periods.order_by("start")
            ),
            makeup_workdays=tuple(self.makeup_workdays.order_by("date").values_list("date", flat=True)),
        )


class HolidayPeriod(models.Model):
    notice = models.ForeignKey(HolidayNotice, on_delete=models.CASCADE, related_name="periods")
    name = models.CharField("节日", max_length=30, help_text="如：元旦、春节")
    start = models.DateField("放假开始")
    end = models.DateField("放假结束")

    class Meta:
        verbose_name = "放假时段"
        verbose_name_plural = "放假时段"
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"


class MakeupWorkday(models.Model):
    notice = models.ForeignKey(HolidayNotice, on_delete=models.CASCADE, related_name="makeup_workdays")
    date = models.DateField("调休上班日")
    name = models.CharField("所属节日", max_length=30, blank=True)

    class Meta:
        verbose_name = "调休上班日"
        verbose_name_plural = "调休上班日"
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["notice", "date"], name="unique_makeup_day")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}"
