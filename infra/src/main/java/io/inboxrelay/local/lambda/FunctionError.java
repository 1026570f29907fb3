package io.inboxrelay.local.lambda;

/** A function invocation that failed: the handler threw, or could not be loaded. Carries what Lambda reports as errorType. */
public final class FunctionError extends Exception {

    private final String errorType;

    FunctionError(String errorType, String message, Throwable cause) {
        super(message, cause);
        this.errorType = errorType;
    }

    public String errorType() {
        return errorType;
    }
}
