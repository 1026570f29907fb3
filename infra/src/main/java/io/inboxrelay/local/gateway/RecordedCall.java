package io.inboxrelay.local.gateway;

import java.util.Map;

/**
 * One HTTP call the simulator received, as tests assert on it.
 *
 * @param provider the simulated gateway that answered it
 * @param method   GET, POST, PUT
 * @param path     the raw path, without the query
 * @param headers  the request's headers, names in lower case (first value each)
 * @param body     the request body as text ("" for none)
 * @param status   the status the simulator answered
 */
public record RecordedCall(String provider, String method, String path, Map<String, String> headers, String body, int status) {

    /** e.g. {@code POST /message/sendText/acme} */
    public String line() {
        return method + " " + path;
    }
}
