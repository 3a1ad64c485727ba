/// Why `KeyedStateCache` could not hand out a key's state.
enum KeyedStateCacheError: Error, CustomStringConvertible {
    /// An entry inserted into the cache's dictionary was not found right after: a bug in the
    /// cache, never caused by input. The task fails and restarts from its last checkpoint.
    case lostEntry

    var description: String {
        "keyed state cache lost an entry it had just inserted (a bug: please report it with the task's log)"
    }
}
