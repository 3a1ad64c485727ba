import Foundation

/// Writes the generator's records as JSONL files, `<directory>/<topic>.jsonl`, instead of Kafka:
/// input for the file source (replays, `make bench`). The same options give the same records
/// as a Kafka run, one per line.
public struct DatagenFileWriter {
    public let options: DatagenOptions
    public let directory: String

    public init(options: DatagenOptions, directory: String) {
        self.options = options
        self.directory = directory
    }

    public func run() throws -> DatagenSummary {
        try options.validate()
        guard options.events > 0 else {
            throw DatagenError.invalidOption(flag: "--events", value: "0", expected: "a finite count with --output-dir")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var files: [EventTopic: UnsafeMutablePointer<FILE>] = [:]
        defer { for file in files.values { fclose(file) } }
        for topic in EventTopic.allCases {
            let path = "\(directory)/\(options.name(of: topic)).jsonl"
            guard let file = fopen(path, "w") else {
                throw DatagenError.invalidOption(flag: "--output-dir", value: path, expected: "a writable folder (\(String(cString: strerror(errno))))")
            }
            files[topic] = file
        }
        var generator = EventGenerator(options: options)
        var counts = DatagenCounts()
        var payload: [UInt8] = []
        payload.reserveCapacity(1024)
        let clock = ContinuousClock()
        let start = clock.now
        while counts.records < options.events {
            let event = generator.next(into: &payload)
            // A line per record: a newline inside a (malformed) payload would split it.
            for index in payload.indices where payload[index] == UInt8(ascii: "\n") { payload[index] = UInt8(ascii: " ") }
            payload.append(UInt8(ascii: "\n"))
            guard let file = files[event.topic], fwrite(payload, 1, payload.count, file) == payload.count else {
                throw DatagenError.invalidOption(flag: "--output-dir", value: directory, expected: "room to write (\(String(cString: strerror(errno))))")
            }
            counts.add(event, bytes: payload.count - 1)
        }
        return DatagenSummary(counts: counts, delivered: counts.records, failed: 0,
                              elapsedSeconds: (clock.now - start).inSeconds, interrupted: false)
    }
}
