package io.inboxrelay.local.gateway;

import java.time.Duration;

/**
 * The failures a send can be scripted to meet, chosen by the recipient number's last four digits (a group chat is
 * never scripted). Each gateway answers them in its own error shape ({@link SimulatedGateway#refusal}).
 */
enum Script {
    /** …0000: the number has no WhatsApp account. */
    NOT_ON_WHATSAPP("0000", Integer.MAX_VALUE),
    /** …1047: Meta's 131047, the lead last wrote more than 24 hours ago; other gateways answer a 400 with that reason. */
    OUTSIDE_WINDOW("1047", Integer.MAX_VALUE),
    /** …0429: a 429 with {@code Retry-After: 1} on a send's first attempt, then the send goes through. */
    RATE_LIMITED("0429", 1),
    /** …0503: a 503 on a send's first two attempts, then the send goes through. */
    UNAVAILABLE("0503", 2),
    /** …0408: the send goes through (its echo and receipts are posted) but the answer comes after {@link #SLOW_ANSWER}. */
    SLOW("0408", 0),
    /** …0401: the gateway's session is not connected to WhatsApp. */
    DISCONNECTED("0401", Integer.MAX_VALUE);

    /** Longer than any client's request timeout (GatewayHttp's default is 10 s). */
    static final Duration SLOW_ANSWER = Duration.ofSeconds(15);
    static final String OUTSIDE_WINDOW_REASON =
            "Message failed to send because more than 24 hours have passed since the customer last replied to this number.";

    private final String suffix;
    /** How many attempts of the same send are refused (the rest go through). */
    private final int refusedAttempts;

    Script(String suffix, int refusedAttempts) {
        this.suffix = suffix;
        this.refusedAttempts = refusedAttempts;
    }

    /** The script a recipient (a phone number or a JID) selects, or null. */
    static Script forRecipient(String recipient) {
        if (recipient == null || recipient.contains("@g.us")) {
            return null;
        }
        String digits = SimulatedGateway.digits(recipient);
        for (Script script : values()) {
            if (digits.length() > 4 && digits.endsWith(script.suffix)) {
                return script;
            }
        }
        return null;
    }

    /** Whether attempt number {@code attempt} (1 for the first) of a send is refused. */
    boolean refusesAttempt(int attempt) {
        return attempt <= refusedAttempts;
    }

    /** Whether this script refuses the send at all (SLOW sends, late). */
    boolean refuses() {
        return this != SLOW;
    }
}
