package io.soulgraph.graph;

import io.soulgraph.ham.Graph;

/**
 * What a put changed after HAM.
 *
 * @param accepted the fields applied and committed
 * @param deferred the fields held until their state comes
 * @param historical how many fields lost to newer ones
 * @param equal how many fields were already stored exactly
 */
public record PutResult(Graph accepted, Graph deferred, int historical, int equal) {}
