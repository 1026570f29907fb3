package io.inboxrelay.core.outbound;

/**
 * What registering a webhook achieved.
 *
 * @param registered true when the gateway now posts to the URL
 * @param detail     for a person: what was set, or where to do it instead
 */
public record RegistrationResult(boolean registered, String detail) {

    public static RegistrationResult registered(String detail) {
        return new RegistrationResult(true, detail);
    }

    /** The gateway's API cannot register webhooks; {@code whereInstead} tells the operator where it is done. */
    public static RegistrationResult notSupported(String whereInstead) {
        return new RegistrationResult(false, "not supported by this API: " + whereInstead);
    }
}
