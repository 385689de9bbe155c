package io.soulgraph.graph.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarised as percentiles in milliseconds. */
final class Stats {

  private long[] samples = new long[1 << 16];
  private int size;

  synchronized void add(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  synchronized double percentileMillis(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    return sorted[Math.min(size - 1, (int) Math.floor(p / 100 * size))] / 1e6;
  }

  synchronized int count() {
    return size;
  }
}
