/** Internal: rate limiting for broadcasts. Not API. */
@NullMarked
package dev.beckon.internal.pacing;

import org.jspecify.annotations.NullMarked;
