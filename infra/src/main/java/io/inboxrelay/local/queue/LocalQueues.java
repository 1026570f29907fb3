package io.inboxrelay.local.queue;

import io.inboxrelay.local.template.SamTemplate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Every SQS queue of the template, by logical id, with their redrive policies wired. */
public final class LocalQueues {

    private final Map<String, LocalQueue> queues = new LinkedHashMap<>();

    public LocalQueues(SamTemplate template) {
        template.queues().forEach((id, spec) -> queues.put(id, new LocalQueue(spec)));
        queues.values().forEach(queue -> {
            String target = queue.spec().deadLetterQueueId();
            if (target != null && queues.containsKey(target)) {
                queue.deadLetterQueue(queues.get(target));
            }
        });
    }

    public Optional<LocalQueue> get(String logicalId) {
        return Optional.ofNullable(logicalId == null ? null : queues.get(logicalId));
    }

    /** The queue with this QueueName (the last segment of its URL). */
    public Optional<LocalQueue> byName(String name) {
        return queues.values().stream().filter(queue -> queue.spec().name().equals(name)).findFirst();
    }

    /** The queue a destination ARN as the template writes it ({@code X.Arn}, from {@code !GetAtt X.Arn}) names, if it is one. */
    public Optional<LocalQueue> forDestination(String destination) {
        return destination == null ? Optional.empty() : get(destination.split("\\.")[0]);
    }

    public Map<String, LocalQueue> all() {
        return queues;
    }
}
