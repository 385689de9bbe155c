package io.soulgraph.graph;

import io.soulgraph.ham.Graph;

/**
 * The wire form of nodes, GunDB's: {@code {soul: {"_": {"#": soul, ">": {field: state}}, field:
 * value}}}. The one place that reads and writes it; numbers and strings are written exactly as
 * JavaScript's {@code JSON.stringify} would ({@link io.soulgraph.ham.JsJson}).
 */
public final class GraphJson {

  private GraphJson() {}

  /**
   * Reads a put's graph (the value of a message's {@code put} key), validating all of it first.
   *
   * @throws InvalidDiffException naming soul, field and reason; nothing is returned partially
   */
  public static Graph read(com.fasterxml.jackson.databind.JsonNode put) {
    throw new UnsupportedOperationException("graph-core: not implemented yet (issue 3)");
  }

  /** Writes a graph in the wire form, as JSON text. */
  public static String write(Graph graph) {
    throw new UnsupportedOperationException("graph-core: not implemented yet (issue 3)");
  }
}
