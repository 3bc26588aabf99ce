package io.s3csi.core.volume;

/** The CSI access modes. Every one of them is supported for mount volumes. */
public enum AccessMode {
  /** One node, read-write. */
  SINGLE_NODE_WRITER,
  /** One node, read-only. */
  SINGLE_NODE_READER_ONLY,
  /** Many nodes, read-only. */
  MULTI_NODE_READER_ONLY,
  /** Many nodes, one of them writing. */
  MULTI_NODE_SINGLE_WRITER,
  /** Many nodes, all writing. */
  MULTI_NODE_MULTI_WRITER,
  /** One node, one pod writing. */
  SINGLE_NODE_SINGLE_WRITER,
  /** One node, many pods writing. */
  SINGLE_NODE_MULTI_WRITER;

  /** Returns true for the modes that only read. */
  public boolean readOnly() {
    return this == SINGLE_NODE_READER_ONLY || this == MULTI_NODE_READER_ONLY;
  }
}
