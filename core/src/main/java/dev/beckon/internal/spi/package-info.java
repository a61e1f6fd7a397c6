/**
 * Internal: what the store and delivery-queue SPIs share, written once: {@link
 * dev.beckon.internal.spi.Opened}, the value a provider opens from a URI with the clients it owns,
 * behind {@link dev.beckon.store.spi.OpenedStore} and {@link dev.beckon.delivery.spi.OpenedQueue}.
 * Depends on nothing else in Beckon. Not API.
 */
@NullMarked
package dev.beckon.internal.spi;

import org.jspecify.annotations.NullMarked;
