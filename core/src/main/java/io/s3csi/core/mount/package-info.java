/**
 * The {@link io.s3csi.core.mount.Mounter} port, the states of a target and the mount table parser.
 */
package io.s3csi.core.mount;
