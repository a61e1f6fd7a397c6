/**
 * Test support for Beckon users and store authors: the {@link
 * dev.beckon.testkit.ReferenceRepositoryContract} every {@code ReferenceRepository} must pass, the
 * {@link dev.beckon.testkit.TokenBucketsContract} every fleet-wide {@code TokenBuckets} store must
 * pass, a controllable {@link dev.beckon.testkit.MutableClock}, and sample references.
 */
@NullMarked
package dev.beckon.testkit;

import org.jspecify.annotations.NullMarked;
