from celery import shared_task


@shared_task(name="mediation.ledgers.tasks.ledger_export_build")
def ledger_export_build_task(export_id: int) -> int:
    """Thin wrapper: the service does the work and records its progress."""
    from .services import ledger_export_build

    return ledger_export_build(export_id).rows_done
