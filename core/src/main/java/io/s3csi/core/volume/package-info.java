/** Volume attributes, capabilities and access modes as s3csi understands them. */
package io.s3csi.core.volume;
