/** Internal: Jackson-based reading and writing of references and activities. Not API. */
@NullMarked
package dev.beckon.internal.json;

import org.jspecify.annotations.NullMarked;
