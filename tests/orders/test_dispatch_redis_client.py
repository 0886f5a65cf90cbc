"""Publishing through the Redis broker reuses one redis client per channel, and still delivers."""

import uuid

from celery import current_app
from kombu.transport import redis as kombu_redis

import orders.dispatch  # noqa: F401  (installs the reuse)


def test_a_channel_publishes_every_message_through_one_client_and_each_arrives():
    queue_name = f"dispatch-test-{uuid.uuid4().hex}"
    with current_app.connection_for_write() as connection:
        channel = connection.default_channel
        assert isinstance(channel, kombu_redis.Channel), "the test settings use the Redis broker"
        assert channel._create_client() is channel._create_client()
        assert channel._create_client(asynchronous=True) is not channel._create_client()
        queue = connection.SimpleQueue(queue_name)
        try:
            for number in range(3):
                queue.put({"number": number})
            received = []
            for _ in range(3):
                message = queue.get(timeout=2)
                received.append(message.payload["number"])
                message.ack()
            assert received == [0, 1, 2]
        finally:
            queue.queue.delete()
            queue.close()
