/** The node use-cases: publish and unpublish with per-volume locks. */
package io.s3csi.core.node;
