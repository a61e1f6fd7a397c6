/** Internal: OpenID metadata and signing-key caches for inbound validation. Not API. */
@NullMarked
package dev.beckon.internal.inbound;

import org.jspecify.annotations.NullMarked;
