/**
 * Inbound: validate the Bot Framework JWT on an incoming request ({@link
 * dev.beckon.inbound.InboundAuthenticator}) and capture the reference it carries into a store,
 * tracking who can be reached ({@link dev.beckon.inbound.CaptureHandler}).
 */
@NullMarked
package dev.beckon.inbound;

import org.jspecify.annotations.NullMarked;
