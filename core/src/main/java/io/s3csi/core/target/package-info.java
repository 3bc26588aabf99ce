/** Publish target paths under the kubelet root. */
package io.s3csi.core.target;
