/**
 * Beckon's observability over Micrometer: start from {@link
 * dev.beckon.micrometer.BeckonObservations}, which decorates a {@link dev.beckon.send.Sender}, a
 * {@link dev.beckon.store.ReferenceRepository} and a {@link dev.beckon.auth.TokenProvider} with
 * Observations, and gives a {@link dev.beckon.retry.RetryListener} and {@link
 * dev.beckon.broadcast.BroadcastListener}s that keep meters. Names and keys are documented in
 * {@link dev.beckon.micrometer.BeckonObservationDocumentation} and {@link
 * dev.beckon.micrometer.BeckonMeters}, and in {@code docs/observability.md}.
 */
@NullMarked
package dev.beckon.micrometer;

import org.jspecify.annotations.NullMarked;
