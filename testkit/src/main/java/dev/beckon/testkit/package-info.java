/**
 * Test support for Beckon users and store authors: the {@link
 * dev.beckon.testkit.ReferenceRepositoryContract} every {@code ReferenceRepository} must pass, a
 * controllable {@link dev.beckon.testkit.MutableClock}, and sample references.
 */
@NullMarked
package dev.beckon.testkit;

import org.jspecify.annotations.NullMarked;
