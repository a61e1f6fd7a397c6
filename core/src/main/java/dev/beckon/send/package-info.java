/**
 * Sending into a stored conversation: the {@link dev.beckon.send.Sender} SPI, its Bot Connector
 * implementation {@link dev.beckon.send.BotConnectorSender}, and the typed {@link
 * dev.beckon.send.SendOutcome} of every send. Retries follow a {@link
 * dev.beckon.retry.RetryStrategy}; bring your own HTTP client through {@link
 * dev.beckon.send.transport.HttpTransport}.
 *
 * <p>Layering: this package uses {@code dev.beckon.internal.send} (Beckon's HttpClient 5 transport,
 * the URL rules), which depends only on the transport SPI below both, never back on this package.
 */
@NullMarked
package dev.beckon.send;

import org.jspecify.annotations.NullMarked;
