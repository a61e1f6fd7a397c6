/**
 * What a store author implements besides the {@link dev.beckon.store.ReferenceRepository}: a {@link
 * dev.beckon.store.spi.StoreProvider}, found through {@link java.util.ServiceLoader}, opens the
 * store a URI names, so tools such as the {@code beckon} CLI reach every store on the class path
 * without naming one.
 */
@NullMarked
package dev.beckon.store.spi;

import org.jspecify.annotations.NullMarked;
