/**
 * Internal: the token endpoint exchange and the token cache that every core {@code TokenProvider}
 * shares (bounded answers, retries, single-flight refresh). Not API.
 */
@NullMarked
package dev.beckon.internal.auth;

import org.jspecify.annotations.NullMarked;
