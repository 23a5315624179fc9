package dev.strata.driver;

/**
 * An ability of drivers whose {@link StorageDriver#create} copies the parent's files into the new directory (vfs; a
 * btrfs snapshot): a parent must be complete before a child is made. Drivers without it only refer to the parent
 * (overlay2), so a whole stack can be created first and filled in any order.
 */
public interface CopiesParent {
}
