# The pipeline's real parts (simulator process, Celery workers, a READY reseller) for the
# end-to-end webhook test.
from tests.pipeline.conftest import simulator, simulator_process, start_worker, upstream  # noqa: F401
