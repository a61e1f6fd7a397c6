/**
 * The {@link dev.beckon.store.ReferenceRepository} SPI that every storage module implements, its
 * value types, and a thread-safe {@link dev.beckon.store.memory.InMemoryReferenceRepository}. The
 * semantics every implementation must honour are defined once, in the contract kit of {@code
 * beckon-testkit}.
 */
@NullMarked
package dev.beckon.store;

import org.jspecify.annotations.NullMarked;
