from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search.importing import import_typical_cases


class Command(BaseCommand):
    help = "导入典型案例（JSON 或 CSV）。先校验整个文件；有错误则不导入（除非 --skip-invalid）。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="typical_cases.json 格式的 JSON 文件，或同名列的 CSV 文件")
        parser.add_argument("--skip-invalid", action="store_true", help="跳过有错误的记录，导入其余记录")

    def handle(self, *args, path, skip_invalid, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"文件不存在：{path}")
        report = import_typical_cases(file.read_bytes(), file.name, skip_invalid=skip_invalid)
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.imported:
            raise CommandError(f"文件有 {len(report.errors)} 处错误，未导入任何记录。可用 --skip-invalid 跳过错误记录。")
        self.stdout.write(self.style.SUCCESS(
            f"共 {report.total} 条：新导入并发布 {len(report.created)} 条，已存在未改动 {report.existing} 条，"
            f"跳过错误记录 {report.skipped_invalid} 条。"
        ))
