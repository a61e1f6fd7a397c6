/**
 * The HTTP transport SPI of {@link dev.beckon.send.BotConnectorSender}: implement {@link
 * dev.beckon.send.transport.HttpTransport} to send through an HTTP client of your own. It sits
 * below {@code dev.beckon.send} so that Beckon's own transport implements it without depending on
 * the sender.
 */
@NullMarked
package dev.beckon.send.transport;

import org.jspecify.annotations.NullMarked;
