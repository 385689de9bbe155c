package io.soulgraph.graph.internal;

import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;

/**
 * A deferred field, held until its state comes.
 *
 * @param dot the dot it arrived with (anti-entropy), or null for a put (a dot is assigned when it
 *     lands)
 */
record Pending(String soul, String field, FieldState fieldState, Dot dot) {}
