/** The error family of s3csi: {@link io.s3csi.core.error.DriverException} and its kinds. */
package io.s3csi.core.error;
