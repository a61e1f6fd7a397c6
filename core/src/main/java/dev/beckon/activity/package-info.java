/** A minimal, immutable Bot Framework activity, for incoming requests and outgoing messages. */
@NullMarked
package dev.beckon.activity;

import org.jspecify.annotations.NullMarked;
