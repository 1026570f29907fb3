package io.inboxrelay.core;

/** Who wrote a message: the lead (incoming to the business) or an agent (outgoing). */
public enum Direction {
    LEAD("lead"),
    AGENT("agent");

    private final String wireName;

    Direction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Direction fromWireName(String name) {
        return "agent".equals(name) ? AGENT : LEAD;
    }
}
