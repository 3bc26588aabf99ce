/**
 * Test doubles of the provisioning port: {@link
 * io.s3csi.testkit.provisioning.FakeBucketProvisioner}.
 */
package io.s3csi.testkit.provisioning;
