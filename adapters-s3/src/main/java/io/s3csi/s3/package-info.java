/**
 * The S3 adapter of s3csi: {@link io.s3csi.s3.S3BucketProvisioner}, the AWS SDK implementation of
 * {@link io.s3csi.core.provisioning.BucketProvisioner}.
 */
package io.s3csi.s3;
