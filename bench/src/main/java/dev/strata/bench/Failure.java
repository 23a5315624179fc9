package dev.strata.bench;

/** Something that kept a tool from producing samples for an operation, for the notes. */
record Failure(String op, StorageKind storage, String tool, String reason) {
}
