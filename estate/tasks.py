"""The import's tasks: thin, by id, idempotent (a step holds its run; the cursor is saved)."""

from celery import shared_task

from . import services


@shared_task(name="estate.import_step", acks_late=True)
def import_step(run_id: int) -> None:
    again = services.import_run_step(run_id=run_id)
    if again is not None:
        services.step_later(run_id, again)


@shared_task(name="estate.sync_due")
def sync_due() -> int:
    return services.estate_sync_due()


@shared_task(name="estate.resume_runs")
def resume_runs() -> int:
    return services.import_runs_resume()
