package io.inboxrelay.outbound;

/** Where send and read jobs wait for the sender: the SQS FIFO outbox in AWS and on the local stack. */
public interface Outbox {

    /** @throws UnavailableException when the queue did not take the job (the caller answers 503; a retry enqueues it) */
    void enqueue(OutboxJob job);

    /** The queue refused or could not be reached. */
    final class UnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
