/**
 * Layer archives: reading tars ({@link dev.strata.archive.TarReader}), applying them to a layer directory
 * safely ({@link dev.strata.archive.LayerApplier}), keeping what it takes to rebuild the exact tar later
 * ({@link dev.strata.archive.TarSplit}), computing changes ({@link dev.strata.archive.Changes}) and writing
 * deterministic layer tars ({@link dev.strata.archive.LayerWriter}). Whiteouts are translated per storage
 * driver by {@link dev.strata.archive.WhiteoutFormat}; compressed blobs are opened with
 * {@link dev.strata.archive.Compression}. The same reader, writer and applier serve copies ({@code docker cp}):
 * {@link dev.strata.archive.LayerWriter#writeCopy} archives one path under the name it goes by,
 * {@link dev.strata.archive.LayerApplier#check} checks a copy's archive whole before it is extracted, and
 * {@link dev.strata.archive.RootScope} resolves paths inside a tree the way a chrooted process would. Nothing here
 * knows about registries, images or SQLite.
 */
package dev.strata.archive;
