/// Places shared slots on TaskManagers, spreading them instead of packing one TaskManager.
///
/// Pure: given the free slots per TaskManager, returns which TaskManager hosts each shared
/// slot (slot i runs subtask i of every chain), or nil when the cluster has too few slots.
/// Round-robin over TaskManagers with the most free slots first, so parallelism 2 on two
/// TaskManagers puts one slot on each and keyed exchanges cross the network.
public enum SlotAssignment {
    public static func assign(slots needed: Int, freeSlots: [(taskManager: String, free: Int)]) -> [String]? {
        var remaining = freeSlots.filter { $0.free > 0 }.sorted { $0.free != $1.free ? $0.free > $1.free : $0.taskManager < $1.taskManager }
        guard remaining.reduce(0, { $0 + $1.free }) >= needed else { return nil }
        var placement: [String] = []
        var index = 0
        while placement.count < needed {
            if remaining[index].free > 0 {
                placement.append(remaining[index].taskManager)
                remaining[index].free -= 1
            }
            index = (index + 1) % remaining.count
        }
        return placement
    }
}
