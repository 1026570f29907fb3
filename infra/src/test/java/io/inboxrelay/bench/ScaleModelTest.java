package io.inboxrelay.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The model's arithmetic at the targets (docs/SCALING.md quotes these lines). */
class ScaleModelTest {

    private final String defaults = ScaleModel.render(ScaleModel.Inputs.defaults());

    @Test
    void the_design_as_is_caps_one_tenant_at_one_partition_of_the_event_log() {
        assertThat(defaults).contains("1,000 WCU/s [partition] / 3.00 WRU/msg = 333 msg/s  => EXCEEDS: 1,000 msg/s needed, 333 available");
        assertThat(defaults).contains("ceil(10,000 / 128) rounds x 10 ms = 790 ms");
        assertThat(defaults).contains("1,000 / 790 = 1.27 events/s");
    }

    @Test
    void buckets_and_connection_shards_reach_the_targets_with_headroom() {
        assertThat(defaults).contains("ceil(1,000 msg/s x 3.00 WRU / (1,000 WCU/s x 0.50)) = 6");
        assertThat(defaults).contains("6 x 1,000 / 3.00 = 2,000 msg/s  => fits (50% of the ceiling)");
        assertThat(defaults).contains("K = ceil(10,000 / (128 x 5)) = 16");
        assertThat(defaults).contains("ceil(625 / 128) x 10 ms = 50 ms -> 20.00 events/s per event-log shard, in order");
        assertThat(defaults).contains("up to 120.00 events/s per tenant  => fits (50% of the ceiling) even if every event is in one bucket");
        assertThat(defaults).contains("x 16 workers + 6 = 102 of 1,000 [lambda-quotas]");
    }

    @Test
    void the_account_request_rate_must_be_raised_for_100000_posts_per_second() {
        assertThat(defaults).contains("100,000 posts/s + 1,000 webhooks/s = 101,000 of 10,000 RPS");
        assertThat(defaults).contains("EXCEEDS: 101,000 RPS needed, 10,000 available (10.10x)");
    }

    @Test
    void costs_are_the_quoted_prices_times_the_traffic() {
        assertThat(defaults).contains("30,585,600,000 WRU x $0.625/M = $19,116/month ($7.38 per million messages)");
        assertThat(defaults).contains("259,200,000,000 messages: 1 billion x $1.00/M + rest x $0.80/M = $207,560/month");
        assertThat(defaults).contains("432,000,000 x $0.25/M = $108/month");
    }

    @Test
    void options_override_the_defaults_and_unknown_ones_are_refused() {
        ScaleModel.Inputs in = ScaleModel.parse(new String[] {"--model", "--messages-per-second", "2,000", "--wru-per-message", "6"});
        assertThat(in.messagesPerSecond()).isEqualTo(2000);
        assertThat(in.wruPerMessage()).isEqualTo(6);
        assertThat(ScaleModel.render(in)).contains("ceil(2,000 msg/s x 3.00 WRU / (1,000 WCU/s x 0.50)) = 12");
        assertThatThrownBy(() -> ScaleModel.parse(new String[] {"--browser", "1"})).hasMessageContaining("browser");
    }
}
