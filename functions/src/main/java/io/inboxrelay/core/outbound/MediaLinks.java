package io.inboxrelay.core.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;

/**
 * Which media links the proxy follows. A link comes from the gateway (a WAHA or bridge {@code media.url}, Meta's media
 * URL), and a gateway, or whoever holds its webhook secret, could point it anywhere: at the Lambda runtime API on
 * loopback, at an instance-metadata address, at a host of the VPC. So a link is followed only to the gateway's own
 * origin (its configured base URL), or over https to a named host that is not a loopback, private, link-local or
 * otherwise internal address written as a literal. Names are not resolved here: a public name pointing inward is the
 * network's to block (a Lambda outside a VPC reaches no private network).
 */
public final class MediaLinks {

    private MediaLinks() {
    }

    /** @param gatewayBase the session's configured base URL, or null (Meta's Graph API) */
    public static boolean followable(URI link, URI gatewayBase) {
        if (link == null || link.getHost() == null || link.getRawUserInfo() != null) {
            return false;
        }
        if (gatewayBase != null && sameOrigin(link, gatewayBase)) {
            return true;
        }
        if (!"https".equalsIgnoreCase(link.getScheme())) {
            return false;
        }
        String host = link.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.endsWith(".localhost") || host.endsWith(".internal") || host.endsWith(".local")) {
            return false;
        }
        return !internalLiteral(host);
    }

    private static boolean sameOrigin(URI link, URI base) {
        return link.getScheme() != null && link.getScheme().equalsIgnoreCase(base.getScheme())
                && link.getHost().equalsIgnoreCase(Objects.requireNonNullElse(base.getHost(), ""))
                && port(link) == port(base);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** An IP literal (v4, or v6 in brackets) that is not a public address. */
    private static boolean internalLiteral(String host) {
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = literal.indexOf(':') >= 0;
        if (!ipv4 && !ipv6) {
            // Decimal or hex single-number forms ("2130706433", "0x7f000001") are IPv4 too for some resolvers.
            return literal.matches("(0x[0-9a-f]+|\\d+)");
        }
        try {
            InetAddress address = InetAddress.getByName(literal);
            byte[] bytes = address.getAddress();
            boolean carrierNat = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
            boolean uniqueLocal = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
            return address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                    || address.isAnyLocalAddress() || address.isMulticastAddress() || carrierNat || uniqueLocal
                    || (bytes.length == 4 && (bytes[0] & 0xff) == 0);
        } catch (UnknownHostException malformed) {
            return true;
        }
    }
}
