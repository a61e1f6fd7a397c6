/** Internal: the Bot Connector HTTP client over Apache HttpClient 5. Not API. */
@NullMarked
package dev.beckon.internal.send;

import org.jspecify.annotations.NullMarked;
