from django.core.management.base import BaseCommand, CommandError

from gongkai.operations.backup import BackupError, restore_backup, unapplied_migrations


class Command(BaseCommand):
    help = (
        "Restore a backup (its folder or .tar) into an EMPTY installation: checks every checksum first, refuses "
        "a database with data or a MEDIA_ROOT with files unless --force, checks the row counts afterwards. "
        "Stop the web server and the worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup folder or .tar file")
        parser.add_argument("--force", action="store_true", help="replace the database even though it holds data")

    def handle(self, *args, path, force=False, **options):
        try:
            result = restore_backup(path, force=force)
        except BackupError as err:
            raise CommandError(err.message) from None
        rows = sum(result.tables.values())
        self.stdout.write(
            f"恢复完成：{path}\n"
            f"  数据库 {len(result.tables)}张表 {rows}行（与备份清单一致），文件 {result.media_files} 个，"
            f"用时 {result.seconds:.1f} 秒。"
        )
        if result.extra_media:
            self.stdout.write(f"  文件目录中另有 {result.extra_media} 个备份之外的文件，未删除。")
        if result.missing_media:
            self.stderr.write(
                f"注意：备份时已缺少 {len(result.missing_media)} 个被引用的文件（见备份清单 missing_media）。"
            )
        pending = unapplied_migrations()
        if pending:
            self.stdout.write(f"  备份来自较早的版本：请运行 manage.py migrate（{len(pending)}个迁移待执行）。")
        self.stdout.write("  请重新启动网站和后台任务进程。")
