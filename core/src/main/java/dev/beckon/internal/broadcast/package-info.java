/** Internal: the checkpoint stores behind {@code BroadcastCheckpoints}. Not API. */
@NullMarked
package dev.beckon.internal.broadcast;

import org.jspecify.annotations.NullMarked;
