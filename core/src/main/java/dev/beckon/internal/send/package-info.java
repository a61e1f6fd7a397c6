/**
 * Internal: Beckon's HTTP transport over Apache HttpClient 5 and the Bot Connector URL rules. Not
 * API. Depends on the transport SPI ({@code dev.beckon.send.transport}), never on {@code
 * dev.beckon.send}, which uses it.
 */
@NullMarked
package dev.beckon.internal.send;

import org.jspecify.annotations.NullMarked;
