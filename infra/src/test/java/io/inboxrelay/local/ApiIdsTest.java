package io.inboxrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiIdsTest {

    @Test
    void ids_look_like_api_gateways_and_never_start_with_a_character_a_command_line_reads_as_an_option() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = ApiIds.next();
            assertThat(id).hasSize(16).endsWith("=").matches("[A-Za-z0-9][A-Za-z0-9_-]{14}=");
            seen.add(id);
        }
        assertThat(seen).as("random, no repeats").hasSize(20_000);
    }
}
