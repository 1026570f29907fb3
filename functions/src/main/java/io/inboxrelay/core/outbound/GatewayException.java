package io.inboxrelay.core.outbound;

/** A gateway call that failed; {@link #failure()} says how. Its message never holds a credential or a URL's query. */
public final class GatewayException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient GatewayFailure failure;

    public GatewayException(GatewayFailure failure) {
        super(failure.describe());
        this.failure = failure;
    }

    public GatewayException(GatewayFailure failure, Throwable cause) {
        // The cause is not chained: JDK network exceptions may quote the URL (a pre-signed query); its class is enough.
        super(failure.describe() + (cause == null ? "" : " [" + cause.getClass().getSimpleName() + "]"));
        this.failure = failure;
    }

    public GatewayFailure failure() {
        return failure;
    }

    public boolean retryable() {
        return failure.retryable();
    }
}
