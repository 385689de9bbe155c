package io.soulgraph.graph.internal;

import org.janusgraph.core.schema.DisableDefaultSchemaMaker;

/**
 * No implicit schema (only the store's writer creates property keys and edge labels), but a
 * query that names a key or label nobody ever wrote finds nothing instead of failing: to a
 * Gremlin user {@code values('nosuchkey')} is an empty result, as on TinkerGraph.
 */
public final class ExplicitSchemaMaker extends DisableDefaultSchemaMaker {

  @Override
  public boolean ignoreUndefinedQueryTypes() {
    return true;
  }
}
