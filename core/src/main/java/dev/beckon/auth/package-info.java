/**
 * Outbound auth: where the bot's token comes from ({@link dev.beckon.auth.TokenProvider}, {@link
 * dev.beckon.auth.ClientCredentials}) and where it may go ({@link dev.beckon.auth.TrustPolicy}).
 */
@NullMarked
package dev.beckon.auth;

import org.jspecify.annotations.NullMarked;
