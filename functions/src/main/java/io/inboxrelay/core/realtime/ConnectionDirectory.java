package io.inboxrelay.core.realtime;

import java.util.List;

/** Where the fan-out finds a tenant's open sockets and forgets the closed ones. */
public interface ConnectionDirectory {

    List<Connection> forTenant(String tenantId);

    void delete(String tenantId, String connectionId);
}
