package io.inboxrelay.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CidrAllowlistTest {

    @Test
    void an_empty_list_allows_any_source_even_an_unreadable_one() {
        CidrAllowlist any = CidrAllowlist.parse(List.of());
        assertThat(any.isEmpty()).isTrue();
        assertThat(any.allows("198.51.100.1")).isTrue();
        assertThat(any.allows("2001:db8::1")).isTrue();
        assertThat(any.allows(null)).isTrue();
        assertThat(CidrAllowlist.parse(null).allows("10.0.0.1")).isTrue();
    }

    @Test
    void ipv4_cidr_allows_addresses_inside_and_refuses_those_outside() {
        CidrAllowlist list = CidrAllowlist.parse(List.of("203.0.113.0/24"));
        assertThat(list.allows("203.0.113.0")).isTrue();
        assertThat(list.allows("203.0.113.255")).isTrue();
        assertThat(list.allows("203.0.112.255")).isFalse();
        assertThat(list.allows("203.0.114.0")).isFalse();
    }

    @Test
    void a_bare_address_allows_only_itself() {
        CidrAllowlist list = CidrAllowlist.parse(List.of("198.51.100.7", "2001:db8::7"));
        assertThat(list.allows("198.51.100.7")).isTrue();
        assertThat(list.allows("198.51.100.8")).isFalse();
        assertThat(list.allows("2001:db8:0:0:0:0:0:7")).isTrue();
        assertThat(list.allows("2001:db8::8")).isFalse();
        assertThat(list.entries()).containsExactly("198.51.100.7/32", "2001:db8:0:0:0:0:0:7/128");
    }

    @Test
    void edge_masks_slash_zero_and_full_length() {
        assertThat(CidrAllowlist.parse(List.of("0.0.0.0/0")).allows("255.255.255.255")).isTrue();
        assertThat(CidrAllowlist.parse(List.of("0.0.0.0/0")).allows("2001:db8::1")).isFalse();
        assertThat(CidrAllowlist.parse(List.of("::/0")).allows("2001:db8::1")).isTrue();
        assertThat(CidrAllowlist.parse(List.of("10.1.2.3/32")).allows("10.1.2.3")).isTrue();
        assertThat(CidrAllowlist.parse(List.of("10.1.2.3/32")).allows("10.1.2.2")).isFalse();
        assertThat(CidrAllowlist.parse(List.of("2001:db8::1/128")).allows("2001:db8::1")).isTrue();
    }

    @Test
    void prefixes_that_do_not_fall_on_an_octet_boundary() {
        CidrAllowlist list = CidrAllowlist.parse(List.of("192.0.2.64/27"));
        assertThat(list.allows("192.0.2.64")).isTrue();
        assertThat(list.allows("192.0.2.95")).isTrue();
        assertThat(list.allows("192.0.2.63")).isFalse();
        assertThat(list.allows("192.0.2.96")).isFalse();
        CidrAllowlist odd = CidrAllowlist.parse(List.of("128.0.0.0/1"));
        assertThat(odd.allows("128.0.0.1")).isTrue();
        assertThat(odd.allows("127.255.255.255")).isFalse();
    }

    @Test
    void ipv6_cidr_matches_compressed_and_full_forms_and_brackets() {
        CidrAllowlist list = CidrAllowlist.parse(List.of("2001:db8:abcd:12::/63"));
        assertThat(list.allows("2001:db8:abcd:12::1")).isTrue();
        assertThat(list.allows("2001:0db8:abcd:0013:ffff:ffff:ffff:ffff")).isTrue();
        assertThat(list.allows("[2001:db8:abcd:13::9]")).isTrue();
        assertThat(list.allows("2001:db8:abcd:14::")).isFalse();
        assertThat(list.allows("2001:db8:abcd:11:ffff::")).isFalse();
    }

    @Test
    void an_ipv4_mapped_ipv6_caller_is_matched_as_ipv4() {
        assertThat(CidrAllowlist.parse(List.of("10.0.0.0/8")).allows("::ffff:10.20.30.40")).isTrue();
    }

    @Test
    void several_entries_of_both_families_are_all_consulted() {
        CidrAllowlist list = CidrAllowlist.parse(List.of(" 10.0.0.0/8 ", "2600:1f18::/36"));
        assertThat(list.allows("10.255.0.1")).isTrue();
        assertThat(list.allows("2600:1f18:0a3b::1")).isTrue();
        assertThat(list.allows("11.0.0.1")).isFalse();
        assertThat(list.allows("2600:1f19::1")).isFalse();
        assertThat(list.allows("2600:1f18:1000::1")).isFalse();
    }

    @Test
    void unreadable_callers_are_refused_when_a_list_is_set() {
        CidrAllowlist list = CidrAllowlist.parse(List.of("0.0.0.0/0", "::/0"));
        for (String bad : new String[] {null, "", "localhost", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/8", "fe80::1%eth0"}) {
            assertThat(list.allows(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void invalid_entries_are_rejected_at_parse_with_a_clear_message() {
        assertThatThrownBy(() -> CidrAllowlist.parse(List.of("10.0.0.0/8", "gateway.example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'gateway.example.com' is not an IPv4 or IPv6 address or CIDR (for example 203.0.113.0/24 or 2001:db8::/32)");
        assertThatThrownBy(() -> CidrAllowlist.parse(List.of("10.0.0.0/33")))
                .hasMessage("'10.0.0.0/33' has prefix /33; at most /32 for an IPv4 address");
        assertThatThrownBy(() -> CidrAllowlist.parse(List.of("2001:db8::/129")))
                .hasMessage("'2001:db8::/129' has prefix /129; at most /128 for an IPv6 address");
        assertThatThrownBy(() -> CidrAllowlist.parse(List.of("10.0.0.0/")))
                .hasMessageContaining("invalid prefix length");
        assertThatThrownBy(() -> CidrAllowlist.parse(List.of("10.0.0.0/-1")))
                .hasMessageContaining("invalid prefix length");
        for (String bad : new String[] {"", "  ", "1.2.3", "01.2.3.4444", "1.2.3.4.5", "2001:db8:::1", "fe80::1%eth0", "::g"}) {
            assertThatThrownBy(() -> CidrAllowlist.parse(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> CidrAllowlist.parse(java.util.Arrays.asList((String) null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_cidr_with_host_bits_set_is_rejected_with_the_network_it_probably_meant() {
        assertThatThrownBy(() -> CidrAllowlist.parse(List.of("203.0.113.7/24")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'203.0.113.7/24' has address bits set beyond its /24 prefix; did you mean 203.0.113.0/24?");
    }
}
