/**
 * Sending into a stored conversation: the {@link dev.beckon.send.Sender} SPI, its Bot Connector
 * implementation {@link dev.beckon.send.BotConnectorSender}, and the typed {@link
 * dev.beckon.send.SendOutcome} of every send.
 */
@NullMarked
package dev.beckon.send;

import org.jspecify.annotations.NullMarked;
