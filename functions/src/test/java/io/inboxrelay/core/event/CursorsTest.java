package io.inboxrelay.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CursorsTest {

    @Test
    void cursors_sort_in_time_order_and_do_not_collide_within_a_millisecond() {
        Instant now = Instant.ofEpochMilli(1_772_460_311_123L);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(Cursors.next(now));
        }
        assertThat(seen).hasSize(10_000);
        assertThat(Cursors.next(now)).isLessThan(Cursors.next(now.plusMillis(1)));
        assertThat(Cursors.next(Instant.ofEpochMilli(999))).isLessThan(Cursors.next(now));
    }

    @Test
    void a_cursor_tells_its_instant_and_rejects_text_that_is_not_one() {
        Instant now = Instant.ofEpochMilli(1_772_460_311_123L);
        assertThat(Cursors.instantOf(Cursors.next(now))).isEqualTo(now);
        assertThat(Cursors.instantOf("hello")).isNull();
        assertThat(Cursors.instantOf(null)).isNull();
        assertThat(Cursors.instantOf("17724603111x3-abc")).isNull();
    }

    @Test
    void after_gives_a_later_cursor_of_the_same_millisecond() {
        String first = Cursors.next(Instant.ofEpochMilli(5_000));
        for (int i = 0; i < 1_000; i++) {
            String next = Cursors.after(first);
            assertThat(next).isGreaterThan(first).startsWith(first.substring(0, 13));
        }
    }

    @Test
    void floor_is_a_lower_bound_for_every_cursor_of_that_instant() {
        Instant now = Instant.ofEpochMilli(1_772_460_311_123L);
        assertThat(Cursors.floor(now)).isLessThan(Cursors.next(now));
        assertThat(Cursors.floor(now)).isGreaterThan(Cursors.next(now.minusMillis(1)));
    }
}
