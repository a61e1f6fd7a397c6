/** A delivery queue in memory, for tests and demos: nothing survives the process. */
@NullMarked
package dev.beckon.delivery.memory;

import org.jspecify.annotations.NullMarked;
