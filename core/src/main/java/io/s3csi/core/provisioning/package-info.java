/**
 * Dynamic provisioning: the controller use-cases that create, delete and validate volumes backed by
 * a bucket or a prefix, and the {@link io.s3csi.core.provisioning.BucketProvisioner} port through
 * which they act on S3.
 *
 * <ul>
 *   <li>{@link io.s3csi.core.provisioning.StorageClassParameters} parses a StorageClass's
 *       parameters strictly.
 *   <li>{@link io.s3csi.core.provisioning.VolumeNames} derives valid, deterministic bucket names
 *       and prefixes from a volume's name.
 *   <li>{@link io.s3csi.core.provisioning.VolumeId} is the volume id s3csi hands out: it carries
 *       what DeleteVolume needs, since DeleteVolume gets nothing else.
 *   <li>{@link io.s3csi.core.provisioning.ControllerService} is the CreateVolume, DeleteVolume and
 *       ValidateVolumeCapabilities use-cases.
 * </ul>
 */
package io.s3csi.core.provisioning;
