package io.soulgraph.graph.internal;

import io.soulgraph.ham.Dot;
import io.soulgraph.ham.FieldState;
import io.soulgraph.ham.Update;

/** A stored field: its value and HAM state, and the dot of the write that set it. */
record FieldEntry(FieldState fieldState, Dot dot) {

  Update toUpdate(String soul, String field) {
    return new Update(soul, field, fieldState, dot);
  }
}
