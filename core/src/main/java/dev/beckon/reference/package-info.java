/**
 * The conversation reference: everything needed to post into a conversation later, captured from an
 * incoming activity with one call ({@link
 * dev.beckon.reference.ConversationReference#capture(String)}).
 */
@NullMarked
package dev.beckon.reference;

import org.jspecify.annotations.NullMarked;
