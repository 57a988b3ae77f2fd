from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from search.importing import import_typical_cases


class Command(BaseCommand):
    help = gettext_lazy("导入典型案例（JSON 或 CSV）。先校验整个文件；有错误则不导入（除非 --skip-invalid）。")

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext_lazy("typical_cases.json 格式的 JSON 文件，或同名列的 CSV 文件"))
        parser.add_argument("--skip-invalid", action="store_true", help=gettext_lazy("跳过有错误的记录，导入其余记录"))

    def handle(self, *args, path, skip_invalid, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(_("文件不存在：%(path)s") % {"path": path})
        report = import_typical_cases(file.read_bytes(), file.name, skip_invalid=skip_invalid)
        for error in report.errors:
            self.stderr.write(str(error))
        for mapping in report.mappings:
            self.stdout.write(str(mapping))
        if not report.imported:
            raise CommandError(_("文件有 %(n)s 处错误，未导入任何记录。可用 --skip-invalid 跳过错误记录。")
                               % {"n": len(report.errors)})
        self.stdout.write(self.style.SUCCESS(
            _("共 %(total)s 条：新导入并发布 %(new)s 条，已存在未改动 %(old)s 条，跳过错误记录 %(bad)s 条。")
            % {"total": report.total, "new": len(report.created), "old": report.existing, "bad": report.skipped_invalid}
        ))
