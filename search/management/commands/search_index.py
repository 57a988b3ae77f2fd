from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from search import indexing
from search.backends import SearchUnavailable, get_backend
from search.models import TypicalCase


class Command(BaseCommand):
    help = gettext_lazy("典型案例检索索引：--rebuild 重建并无停机切换；--reconcile 修复差异；--info 查看状态。")

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--rebuild", action="store_true",
                           help=gettext_lazy("新建索引、写入全部案例后原子切换（别名/CURRENT）"))
        group.add_argument("--reconcile", action="store_true", help=gettext_lazy("比对数据库与索引的编号和版本并修复"))
        group.add_argument("--info", action="store_true", help=gettext_lazy("显示后端、索引位置和文档数"))

    def handle(self, *args, rebuild=False, reconcile=False, info=False, **options):
        try:
            if rebuild:
                total = TypicalCase.objects.count()
                stream = getattr(self.stderr, "_out", self.stderr)  # the raw stream: tqdm redraws with \r
                with tqdm(total=total, desc=_("重建索引"), unit=_("件"), file=stream,
                          disable=options.get("verbosity", 1) == 0) as bar:
                    report = indexing.rebuild(progress=bar.update)
                self.stdout.write(self.style.SUCCESS(
                    _("已重建：%(n)s 件；切换后补齐 %(re)s 件，删除 %(del)s 件。")
                    % {"n": report["indexed"], "re": report["reindexed"], "del": report["deleted"]}))
            elif reconcile:
                report = indexing.reconcile()
                self.stdout.write(self.style.SUCCESS(
                    _("已核对 %(n)s 件：重新索引 %(re)s 件，删除 %(del)s 件。")
                    % {"n": report["checked"], "re": report["reindexed"], "del": report["deleted"]}))
            else:
                for key, value in get_backend().describe().items():
                    self.stdout.write(f"{key}: {value}")
        except SearchUnavailable as exc:
            raise CommandError(_("检索后端不可用：%(error)s") % {"error": exc}) from exc
