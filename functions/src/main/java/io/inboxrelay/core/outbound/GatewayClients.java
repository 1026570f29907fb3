package io.inboxrelay.core.outbound;

import java.util.List;
import java.util.Map;

/** The client for a session's gateway: one class per provider, all over one shared {@link GatewayHttp}. */
public final class GatewayClients {

    private final GatewayHttp http;
    private final long maxMediaBytes;

    public GatewayClients(GatewayHttp http, long maxMediaBytes) {
        this.http = http;
        this.maxMediaBytes = maxMediaBytes;
    }

    public GatewayClient forConnection(GatewayConnection connection) {
        return switch (connection.provider()) {
            case EVOLUTION -> new EvolutionClient(http, connection.baseUrl(), connection.credential(), connection.gatewaySession(),
                    maxMediaBytes);
            case WAHA -> new WahaClient(http, connection.baseUrl(), connection.credential(), connection.gatewaySession());
            case META -> new MetaCloudClient(http, connection.baseUrl(), connection.apiVersion(), connection.gatewaySession(),
                    connection.credential());
            case INBOX_HUB -> new InboxHubClient(http, connection.baseUrl(), connection.credential(), connection.gatewaySession());
        };
    }

    /**
     * The bytes behind a {@link FetchedMedia.Link}, at most {@code maxBytes} of them (else {@code TOO_LARGE}); bytes
     * already fetched are returned as they are.
     */
    public FetchedMedia.Bytes download(GatewayClient client, FetchedMedia media, long maxBytes) {
        if (media instanceof FetchedMedia.Bytes bytes) {
            return bytes;
        }
        FetchedMedia.Link link = (FetchedMedia.Link) media;
        List<Credential> secrets = link.headerValue() == null ? List.of() : List.of(link.headerValue());
        if (link.sizeBytes() > maxBytes) {
            throw new GatewayException(new GatewayFailure(client.provider(), "downloadMedia", GatewayFailure.Kind.TOO_LARGE, 0, null,
                    "the media has " + link.sizeBytes() + " bytes; at most " + maxBytes + " can be proxied", null));
        }
        Map<String, String> headers = link.headerName() == null
                ? Map.of()
                : Map.of(link.headerName(), link.headerValue().reveal());
        GatewayRequest request = GatewayRequest.get(client.provider(), "downloadMedia", link.url(), headers, maxBytes, secrets);
        GatewayResponse response = http.execute(request);
        if (!response.isSuccess()) {
            throw Calls.failed(request, response, Calls.kindForStatus(response.status()), null, null);
        }
        String type = response.header("Content-Type");
        return new FetchedMedia.Bytes(response.body(), type == null ? link.contentType() : type, null);
    }
}
