package io.inboxrelay.readapi;

import java.util.List;

/**
 * One page of a newest-first listing.
 *
 * @param next the opaque cursor of the following (older) page, or null on the last page
 */
public record Page<T>(List<T> items, String next) {
}
