/** The identity use-cases: driver info, plugin capabilities and readiness. */
package io.s3csi.core.identity;
