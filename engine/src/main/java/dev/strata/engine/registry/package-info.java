/**
 * An OCI Distribution client and the pull, push, login and logout actions built on it.
 *
 * <p>The protocol half is one small class per endpoint concept, the way Jib's registry client is split:
 * {@link dev.strata.engine.registry.ManifestPuller}, {@link dev.strata.engine.registry.ManifestPusher},
 * {@link dev.strata.engine.registry.BlobChecker}, {@link dev.strata.engine.registry.BlobPuller},
 * {@link dev.strata.engine.registry.BlobPusher} (monolithic, chunked and cross-repository mount), all going through
 * one {@link dev.strata.engine.registry.Transport} that authenticates (anonymous, Basic, Bearer tokens) and retries
 * what is worth retrying. {@link dev.strata.engine.registry.RegistryClient} puts them together for one repository.
 *
 * <p>The store half: {@link dev.strata.engine.registry.ImagePuller} downloads layers in parallel into resumable
 * ingest files and unpacks each, bottom up, by following its ingest file as it grows, so every byte crosses the
 * network once and is decompressed once; {@link dev.strata.engine.registry.ImagePusher} pushes kept manifests and
 * blobs byte for byte, or compresses layers and writes a manifest for images that never came from a registry.
 * The store below knows nothing of registries.
 */
package dev.strata.engine.registry;
