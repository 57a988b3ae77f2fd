from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from search import indexing
from search.backends import SearchUnavailable, get_backend
from search.models import TypicalCase


class Command(BaseCommand):
    help = "典型案例检索索引：--rebuild 重建并无停机切换；--reconcile 修复差异；--info 查看状态。"

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--rebuild", action="store_true", help="新建索引、写入全部案例后原子切换（别名/CURRENT）")
        group.add_argument("--reconcile", action="store_true", help="比对数据库与索引的编号和版本并修复")
        group.add_argument("--info", action="store_true", help="显示后端、索引位置和文档数")

    def handle(self, *args, rebuild=False, reconcile=False, info=False, **options):
        try:
            if rebuild:
                total = TypicalCase.objects.count()
                stream = getattr(self.stderr, "_out", self.stderr)  # the raw stream: tqdm draws with \r
                with tqdm(total=total, desc="重建索引", unit="件", file=stream,
                          disable=options.get("verbosity", 1) == 0) as bar:
                    report = indexing.rebuild(progress=bar.update)
                self.stdout.write(self.style.SUCCESS(
                    f"已重建：{report['indexed']} 件；切换后补齐 {report['reindexed']} 件，删除 {report['deleted']} 件。"
                ))
            elif reconcile:
                report = indexing.reconcile()
                self.stdout.write(self.style.SUCCESS(
                    f"已核对 {report['checked']} 件：重新索引 {report['reindexed']} 件，删除 {report['deleted']} 件。"
                ))
            else:
                for key, value in get_backend().describe().items():
                    self.stdout.write(f"{key}: {value}")
        except SearchUnavailable as exc:
            raise CommandError(f"检索后端不可用：{exc}") from exc
