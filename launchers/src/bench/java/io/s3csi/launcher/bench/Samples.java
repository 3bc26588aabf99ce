package io.s3csi.launcher.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Durations measured in nanoseconds, summarised as nearest-rank percentiles in milliseconds. */
final class Samples {
  private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

  void add(long elapsedNanos) {
    nanos.add(elapsedNanos);
  }

  int count() {
    return nanos.size();
  }

  /** The nearest-rank percentile {@code p} (0-100] in nanoseconds. */
  long percentile(double p) {
    List<Long> sorted;
    synchronized (nanos) {
      sorted = new ArrayList<>(nanos);
    }
    if (sorted.isEmpty()) {
      throw new IllegalStateException("no samples");
    }
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  long median() {
    return percentile(50);
  }

  String medianMs() {
    return ms(median());
  }

  /** The nearest-rank percentile {@code p} in milliseconds. */
  String percentileMs(double p) {
    return ms(percentile(p));
  }

  static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }

  static String ratio(long numerator, long denominator) {
    return String.format(Locale.ROOT, "%.2fx", (double) numerator / denominator);
  }
}
