/**
 * The JanusGraph implementation of {@link io.soulgraph.graph.SoulStore}: schema and backends
 * ({@code JanusBackend}), the single writer thread and its group commits ({@code GroupCommitter},
 * {@code Batch}, {@code TxWriter}), the bounded hot index ({@code HotIndex}), and the durable text
 * forms ({@code EntryCodec}, {@link io.soulgraph.graph.internal.FieldNames}). The mapping is
 * documented in {@code docs/data-model.md}.
 */
package io.soulgraph.graph.internal;
