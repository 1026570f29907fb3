package io.inboxrelay.core.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The source addresses a session accepts webhooks from (gateways publish their egress ranges).
 * Entries are IPv4 or IPv6 CIDRs or bare addresses; an empty list allows any source.
 *
 * <p>Parsing never touches DNS: only address literals are accepted, so a host name is a parse
 * error rather than a lookup. An IPv4-mapped IPv6 caller ({@code ::ffff:10.0.0.1}) is matched as
 * the IPv4 address it is.
 */
public final class CidrAllowlist {

    private static final CidrAllowlist ANY = new CidrAllowlist(List.of());

    private final List<Block> blocks;

    private CidrAllowlist(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    public static CidrAllowlist any() {
        return ANY;
    }

    /**
     * @throws IllegalArgumentException naming the first entry that is not an address or a CIDR, or
     *                                  whose address has bits set beyond its prefix
     */
    public static CidrAllowlist parse(List<String> entries) {
        if (entries == null || entries.isEmpty()) {
            return ANY;
        }
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            blocks.add(Block.parse(entry));
        }
        return new CidrAllowlist(blocks);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** The entries in canonical form ({@code 10.0.0.0/8}, {@code 2001:db8:0:0:0:0:0:0/32}), for storage. */
    public List<String> entries() {
        return blocks.stream().map(Block::toString).toList();
    }

    /** True when the list is empty or {@code ip} is an address literal inside one of its blocks. */
    public boolean allows(String ip) {
        if (blocks.isEmpty()) {
            return true;
        }
        byte[] address = Literals.parse(ip);
        if (address == null) {
            return false;
        }
        for (Block block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "any" : entries().toString();
    }

    private record Block(byte[] network, int prefix) {

        static Block parse(String entry) {
            String text = entry == null ? "" : entry.trim();
            int slash = text.indexOf('/');
            String addressText = slash < 0 ? text : text.substring(0, slash);
            byte[] address = Literals.parse(addressText);
            if (address == null) {
                throw new IllegalArgumentException(
                        "'" + entry + "' is not an IPv4 or IPv6 address or CIDR (for example 203.0.113.0/24 or 2001:db8::/32)");
            }
            int bits = address.length * 8;
            int prefix = slash < 0 ? bits : prefixLength(entry, text.substring(slash + 1), bits);
            byte[] network = mask(address, prefix);
            if (!Arrays.equals(network, address)) {
                throw new IllegalArgumentException("'" + entry + "' has address bits set beyond its /" + prefix
                        + " prefix; did you mean " + format(network) + "/" + prefix + "?");
            }
            return new Block(network, prefix);
        }

        private static int prefixLength(String entry, String text, int bits) {
            if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + entry + "' has an invalid prefix length; expected /0 to /" + bits);
            }
            int prefix = Integer.parseInt(text);
            if (prefix > bits) {
                throw new IllegalArgumentException("'" + entry + "' has prefix /" + prefix + "; at most /" + bits
                        + " for an IPv" + (bits == 32 ? "4" : "6") + " address");
            }
            return prefix;
        }

        boolean contains(byte[] address) {
            return address.length == network.length && Arrays.equals(mask(address, prefix), network);
        }

        private static byte[] mask(byte[] address, int prefix) {
            byte[] masked = address.clone();
            for (int i = 0; i < masked.length; i++) {
                int keep = Math.max(0, Math.min(8, prefix - i * 8));
                masked[i] &= (byte) (0xFF << (8 - keep));
            }
            return masked;
        }

        private static String format(byte[] address) {
            try {
                return InetAddress.getByAddress(address).getHostAddress();
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }

        @Override
        public String toString() {
            return format(network) + "/" + prefix;
        }
    }

    /** Address literals only; never a name lookup. */
    private static final class Literals {

        private Literals() {
        }

        /** 4 or 16 bytes, or null when {@code text} is not an address literal. */
        static byte[] parse(String text) {
            if (text == null) {
                return null;
            }
            String value = text.trim();
            if (value.startsWith("[") && value.endsWith("]")) {
                value = value.substring(1, value.length() - 1);
            }
            if (value.isEmpty()) {
                return null;
            }
            return value.indexOf(':') >= 0 ? ipv6(value) : ipv4(value);
        }

        private static byte[] ipv4(String text) {
            String[] parts = text.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] address = new byte[4];
            for (int i = 0; i < 4; i++) {
                String part = parts[i];
                if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return null;
                }
                int octet = Integer.parseInt(part);
                if (octet > 255) {
                    return null;
                }
                address[i] = (byte) octet;
            }
            return address;
        }

        private static byte[] ipv6(String text) {
            // Zone ids name a local interface; they mean nothing in an allowlist.
            if (text.indexOf('%') >= 0 || !text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return null;
            }
            try {
                // With a ':' in it and only hex digits, dots and colons, the JDK parses it as a
                // literal and never resolves it.
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException | RuntimeException notAnAddress) {
                return null;
            }
        }
    }
}
