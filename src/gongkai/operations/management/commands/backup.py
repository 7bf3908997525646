from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.operations.backup import BackupError, create_backup, prune


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite: online backup API; PostgreSQL: pg_dump custom format) and every stored "
        "file, with a manifest of SHA-256 checksums. Without --dest it writes into GONGKAI_BACKUP_DIR and keeps "
        "the newest GONGKAI_BACKUP_KEEP backups there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dest", help="directory to write the backup into (default: GONGKAI_BACKUP_DIR)")
        parser.add_argument("--tar", action="store_true", help="one .tar file instead of a folder")
        parser.add_argument("--keep", type=int, help="then keep only the newest N backups in that directory")

    def handle(self, *args, dest=None, tar=False, keep=None, **options):
        directory = Path(dest) if dest else Path(settings.GONGKAI_BACKUP_DIR)
        if keep is None and not dest:
            keep = int(settings.GONGKAI_BACKUP_KEEP)
        try:
            result = create_backup(dest=directory, tar=tar)
            removed = prune(directory, keep) if keep is not None else []
        except BackupError as err:
            raise CommandError(err.message) from None
        rows = sum(result.tables.values())
        self.stdout.write(
            f"备份完成：{result.path}\n"
            f"  数据库 {result.database_bytes / 1e6:.1f} MB（{len(result.tables)}张表，{rows}行），"
            f"文件 {result.media_files} 个 {result.media_bytes / 1e6:.1f} MB，用时 {result.seconds:.1f} 秒。"
        )
        if result.missing_media:
            self.stderr.write(
                f"注意：数据库引用的 {len(result.missing_media)} 个文件在备份时已不存在（清单 missing_media 列出）："
                + "，".join(result.missing_media[:5])
            )
        for p in removed:
            self.stdout.write(f"  按保留份数删除旧备份：{p.name}")
