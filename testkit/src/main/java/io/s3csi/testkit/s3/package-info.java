/**
 * A real S3 endpoint for tests and demos: {@link io.s3csi.testkit.s3.EmbeddedS3Server}.
 *
 * <p>Needs {@code org.gaul:s3proxy} on the classpath (an optional dependency of the testkit, so
 * declare it next to the testkit). No logging backend is forced on you: S3Proxy logs through SLF4J.
 */
package io.s3csi.testkit.s3;
