extension EventTopic {
    /// 0 for clicks, 1 for checkouts (index into per-topic arrays).
    var index: Int { self == .clicks ? 0 : 1 }
}
