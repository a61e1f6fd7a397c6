/**
 * Internal: the one bounded Jackson configuration ({@link dev.beckon.internal.json.Json}) and the
 * writers of references, activities and plain values. It sits above the model (it knows {@code
 * reference} and {@code activity}, which know nothing of it) and below the codecs, which do all the
 * reading. Not API.
 */
@NullMarked
package dev.beckon.internal.json;

import org.jspecify.annotations.NullMarked;
