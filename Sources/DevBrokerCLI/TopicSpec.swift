import ArgumentParser

/// A topic to create, given on the command line as `NAME:PARTITIONS`.
struct TopicSpec: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let name: String
    let partitions: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":") else { return nil }
        let name = String(argument[..<colon])
        guard !name.isEmpty, name.count <= 249,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) }),
              let partitions = Int(argument[argument.index(after: colon)...]), (1...10_000).contains(partitions)
        else { return nil }
        self.name = name
        self.partitions = partitions
    }

    var description: String { "\(name):\(partitions)" }

    static var defaultCompletionKind: CompletionKind { .default }
}
