package io.inboxrelay.bench;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How big each benchmark runs.
 *
 * @param name               full, quick or tiny
 * @param ingestRound        length of one measured ingest round (and of one PutItem round)
 * @param ingestRounds       alternated rounds of each (raw PutItem, webhooks spread over many conversations, all into one)
 * @param ingestSenders      concurrent senders in every ingest round (webhooks and raw PutItem alike)
 * @param fanoutSizes        connections of the one tenant
 * @param fanoutRepetitions  fan-outs timed per size (median reported)
 * @param sequentialLimit    the sequential loop posts to at most this many connections; beyond, it is extrapolated
 * @param concurrencySweep   FANOUT_CONCURRENCY values tried at the sweep size
 * @param sweepSize          connections in the sweep
 * @param postServiceTime    how long the fake @connections endpoint takes to answer a post
 * @param latencyClients     browsers in the end-to-end run
 * @param latencyRate        webhooks per second
 * @param latencyDuration    how long they are sent
 * @param coldStartRounds    fresh JVMs per function (median reported)
 * @param costMessages       webhooks in the cost run
 * @param resumeSizes        missed events replayed, one resume run per size (pages followed to the end)
 * @param sections           which sections run
 */
public record Plan(String name, Duration ingestRound, int ingestRounds, int ingestSenders, List<Integer> fanoutSizes, int fanoutRepetitions,
                   int sequentialLimit, List<Integer> concurrencySweep, int sweepSize, Duration postServiceTime,
                   int latencyClients, int latencyRate, Duration latencyDuration, int coldStartRounds, int costMessages,
                   List<Integer> resumeSizes, Set<String> sections) {

    public static final Set<String> ALL = Set.of("cost", "ingest", "fanout", "resume", "latency", "send", "coldstart");

    /** Simulated PostToConnection latency seen from a Lambda function in the API's region. */
    public static final Duration IN_REGION_POST = Duration.ofMillis(10);

    public static Plan full() {
        return new Plan("full", Duration.ofSeconds(6), 3, 16, List.of(100, 1_000, 5_000), 5, 1_000,
                List.of(16, 32, 64, 128, 256), 1_000, IN_REGION_POST, 100, 50, Duration.ofSeconds(60), 3, 200, List.of(1_000, 10_000), ALL);
    }

    public static Plan quick() {
        return new Plan("quick", Duration.ofSeconds(3), 2, 16, List.of(100, 1_000, 5_000), 3, 1_000,
                List.of(32, 64, 128, 256), 1_000, IN_REGION_POST, 100, 50, Duration.ofSeconds(10), 1, 100, List.of(1_000, 10_000), ALL);
    }

    /** For the smoke test: every section but cold start (no shaded jar during unit tests), tiny sizes. */
    public static Plan tiny() {
        return new Plan("tiny", Duration.ofMillis(500), 1, 4, List.of(20), 1, 20, List.of(8), 20, Duration.ofMillis(1),
                5, 10, Duration.ofSeconds(2), 1, 5, List.of(20), Set.of("cost", "ingest", "fanout", "resume", "latency", "send"));
    }

    public Plan only(Set<String> value) {
        return new Plan(name, ingestRound, ingestRounds, ingestSenders, fanoutSizes, fanoutRepetitions, sequentialLimit, concurrencySweep, sweepSize,
                postServiceTime, latencyClients, latencyRate, latencyDuration, coldStartRounds, costMessages, resumeSizes, value);
    }

    /** Replies sent in the send section, one a second (an agent's pace, inside the per-session rate limit). */
    public int sends() {
        return switch (name) {
            case "full" -> 60;
            case "quick" -> 15;
            default -> 3;
        };
    }

    public boolean runs(String section) {
        return sections.contains(section);
    }
}
