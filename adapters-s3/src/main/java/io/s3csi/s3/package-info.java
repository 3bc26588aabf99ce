/**
 * The S3 adapter of s3csi: {@link io.s3csi.s3.S3BucketProvisioner}, the AWS SDK implementation of
 * {@link io.s3csi.core.provisioning.BucketProvisioner}, and {@link io.s3csi.s3.S3ReadinessCheck},
 * which tells the CSI Probe whether the default S3 endpoint answers.
 */
package io.s3csi.s3;
