import SluiceEngine

/// The operators of one task, connected by direct calls: what one emits, the next processes
/// at once on the same thread, without serialization. The last one's output is the task's
/// `RecordWriter` (or nothing, for a chain ending in a sink).
final class OperatorChain {
    /// Forwards an operator's output to the next operator of the chain.
    private final class Link: RecordOutput {
        let next: any StreamOperator
        let output: any RecordOutput
        init(next: any StreamOperator, output: any RecordOutput) {
            self.next = next
            self.output = output
        }
        func emit(_ record: StreamRecord) throws {
            try next.processRecord(record, input: 0, output: output)
        }
    }

    let source: (any SourceOperator)?
    let operators: [any StreamOperator]
    /// `outputs[i]` receives what `operators[i]` emits.
    private let outputs: [any RecordOutput]
    /// Where the head (source, or the first operator's input) emits.
    let head: any RecordOutput
    let writer: RecordWriter

    init(source: (any SourceOperator)?, operators: [any StreamOperator], writer: RecordWriter) {
        self.source = source
        self.operators = operators
        self.writer = writer
        var outputs: [any RecordOutput] = Array(repeating: writer, count: operators.count)
        for index in stride(from: operators.count - 2, through: 0, by: -1) {
            outputs[index] = Link(next: operators[index + 1], output: outputs[index + 1])
        }
        self.outputs = outputs
        head = operators.first.map { Link(next: $0, output: outputs[0]) } ?? writer
    }

    /// A record arriving on the task's network input `input` goes to the first operator.
    func processInput(_ record: StreamRecord, input: Int) throws {
        guard let first = operators.first else { return }
        try first.processRecord(record, input: input, output: outputs[0])
    }

    func processWatermark(_ watermark: Int64) throws {
        for (index, op) in operators.enumerated() {
            try op.processWatermark(watermark, output: outputs[index])
        }
        try writer.emitWatermark(watermark)
    }

    func tick() throws {
        for (index, op) in operators.enumerated() {
            try op.onTick(output: outputs[index])
        }
    }

    /// Lets every operator emit what it buffered before checkpoint `id`'s snapshot.
    func prepareSnapshot(_ id: UInt64) throws {
        for (index, op) in operators.enumerated() {
            try op.prepareSnapshot(checkpointID: id, output: outputs[index])
        }
    }

    func finish() throws {
        for (index, op) in operators.enumerated() {
            try op.finish(output: outputs[index])
        }
        try writer.finish()
    }

    func close() {
        source?.close()
        for op in operators { op.close() }
    }
}
