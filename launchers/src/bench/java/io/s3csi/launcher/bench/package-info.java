/**
 * Benchmarks of s3csi: JMH micro-benchmarks of the hot pure code, and whole-process benchmarks that
 * start the packaged {@code target/s3csi} and talk CSI to it over its unix socket. Run one with
 * {@code ./mvnw -pl launchers -am -DskipTests -Dbench=NAME verify}; see {@code
 * docs/performance.md}. Each writes a Markdown table to stdout and to {@code
 * launchers/target/bench/NAME.md}. Not tests: nothing here asserts a timing.
 */
package io.s3csi.launcher.bench;
