package io.s3csi.launcher.bench;

import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs the JMH benchmarks of this package and tabulates their average times. */
final class Micro {
  private Micro() {}

  static Table run() throws RunnerException {
    OptionsBuilder options = new OptionsBuilder();
    options
        .include(ParsingBenchmark.class.getName())
        .include(ErrorMappingBenchmark.class.getName());
    Table table = new Table("benchmark", "mode", "ns/op", "error (99.9%)", "forks x iterations");
    for (RunResult result : new Runner(options.build()).run()) {
      var primary = result.getPrimaryResult();
      table.row(
          result.getParams().getBenchmark().replace(Micro.class.getPackageName() + ".", ""),
          result.getParams().getMode().shortLabel(),
          String.format(Locale.ROOT, "%.1f", primary.getScore()),
          String.format(Locale.ROOT, "± %.1f", primary.getScoreError()),
          result.getParams().getForks() + " x " + result.getParams().getMeasurement().getCount());
    }
    return table;
  }
}
