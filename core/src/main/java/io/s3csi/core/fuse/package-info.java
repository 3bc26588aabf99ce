/**
 * FUSE clients: normalized mount options with their allow-lists, the mount specification, and the
 * pure builders that turn a specification into a command line, an environment and private files.
 */
package io.s3csi.core.fuse;
