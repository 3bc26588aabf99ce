/**
 * JUnit 5 glue for the testkit fixtures, such as {@link io.s3csi.testkit.junit.S3ServerExtension}.
 *
 * <p>Needs {@code org.junit.jupiter:junit-jupiter-api} on the classpath (an optional dependency of
 * the testkit).
 */
package io.s3csi.testkit.junit;
