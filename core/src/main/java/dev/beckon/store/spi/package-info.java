/**
 * The store author's layer: a handful of primitives that a backend implements, under {@link
 * dev.beckon.store.spi.AbstractReferenceRepository}, which builds every user operation of {@link
 * dev.beckon.store.ReferenceRepository} from them.
 *
 * <p>A store implements four primitives, each one round trip to its backend:
 *
 * <ul>
 *   <li>{@code read} a row by key;
 *   <li>{@code write} a row under a {@link dev.beckon.store.spi.Precondition} (any, absent or
 *       expired, or a version);
 *   <li>{@code remove} a row under a precondition (any, or a version);
 *   <li>{@code scan} rows from a position with a limit ({@link dev.beckon.store.spi.Scan}).
 * </ul>
 *
 * The base class owns everything else, once for every store: documents and version tokens,
 * conflicts, TTL visibility, the query's filters, batch semantics, the listing cursor (versioned,
 * opaque and bound to its query and store) and the error messages ({@link
 * dev.beckon.store.spi.StoreErrors}). A store overrides a default only where its backend has a
 * native primitive, such as a batch write.
 *
 * <p>A store also ships a {@link dev.beckon.store.spi.StoreProvider}, found through {@link
 * java.util.ServiceLoader}: it opens the store a URI names, so tools such as the {@code beckon} CLI
 * reach every store on the class path without naming one.
 *
 * <p>Users never see this package: they program against {@link
 * dev.beckon.store.ReferenceRepository}.
 */
@NullMarked
package dev.beckon.store.spi;

import org.jspecify.annotations.NullMarked;
