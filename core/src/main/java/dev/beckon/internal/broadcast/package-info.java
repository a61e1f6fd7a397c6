/** Internal: broadcast execution and checkpoint stores. Not API. */
@NullMarked
package dev.beckon.internal.broadcast;

import org.jspecify.annotations.NullMarked;
