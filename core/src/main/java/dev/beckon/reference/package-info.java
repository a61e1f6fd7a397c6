/**
 * The conversation reference: everything needed to post into a conversation later, captured from an
 * incoming activity with one call ({@link dev.beckon.codec.Capture#reference(String)}). The records
 * here validate their values and know no JSON: reading and writing them is {@code
 * dev.beckon.codec}'s.
 */
@NullMarked
package dev.beckon.reference;

import org.jspecify.annotations.NullMarked;
