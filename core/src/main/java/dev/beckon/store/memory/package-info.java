/**
 * {@link dev.beckon.store.memory.InMemoryReferenceRepository}: references in the process's memory,
 * for tests, demos and single-instance bots that may lose them on restart.
 */
@NullMarked
package dev.beckon.store.memory;

import org.jspecify.annotations.NullMarked;
