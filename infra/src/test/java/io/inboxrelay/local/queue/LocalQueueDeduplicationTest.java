package io.inboxrelay.local.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.inboxrelay.local.queue.LocalQueue.Outgoing;
import io.inboxrelay.local.queue.LocalQueue.Sent;
import io.inboxrelay.local.template.QueueSpec;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The FIFO deduplication interval is five minutes: inside it a send with a seen id adds nothing, after it the id is new again. */
class LocalQueueDeduplicationTest {

    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final LocalQueue outbox = new LocalQueue(new QueueSpec("OutboxQueue", "OutboxQueue.fifo", Duration.ofSeconds(180),
            Duration.ofDays(4), null, 0, true, false, Duration.ZERO, QueueSpec.DEFAULT_MAXIMUM_MESSAGE_SIZE), now::get);

    private Sent send() {
        return outbox.send(new Outgoing("{\"message_id\":\"out-1\"}", "tenant#conv", "send:out-1", null));
    }

    @Test
    void a_duplicate_four_minutes_59_later_is_the_first_message_and_one_five_minutes_later_is_a_new_one() {
        Sent first = send();
        now.addAndGet(Duration.ofMinutes(5).minusSeconds(1).toMillis());
        assertThat(send().messageId()).isEqualTo(first.messageId());
        assertThat(outbox.bodies()).hasSize(1);

        now.addAndGet(Duration.ofSeconds(2).toMillis());
        Sent later = send();
        assertThat(later.messageId()).isNotEqualTo(first.messageId());
        assertThat(later.sequenceNumber()).isGreaterThan(first.sequenceNumber());
        assertThat(outbox.bodies()).hasSize(2);
    }
}
