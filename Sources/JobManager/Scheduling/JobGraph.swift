import SluiceEngine
import SluiceProtocol

/// A job spec after chaining: each `Chain` is a run of operators connected by forward edges
/// with equal parallelism, executed as one task per subtask (no serialization between them).
///
/// Pure value; built by `JobGraph.init(spec:)`. Invariant: chains are in topological order
/// and every input edge names an earlier chain.
public struct JobGraph: Sendable, Equatable {
    public struct Input: Sendable, Equatable {
        public var chainID: String
        public var inputIndex: Int
        public var partitioning: _ProtoPartitioning
        public var keyBy: [String]
    }

    public struct Chain: Sendable, Equatable {
        /// The id of the first operator; the vertex id in REST and metrics.
        public var id: String
        public var operators: [JobSpec.Vertex]
        public var parallelism: Int
        public var inputs: [Input]
        public var name: String { operators.map(\.name).joined(separator: " -> ") }
    }

    public var chains: [Chain]
    public var maxParallelism: Int

    public init(spec: JobSpec) {
        maxParallelism = spec.maxParallelism
        let parallelism = { (vertex: JobSpec.Vertex) in vertex.parallelism ?? spec.parallelism }
        let consumers = Dictionary(grouping: spec.vertices.flatMap { vertex in vertex.inputs.map { ($0, vertex.id) } },
                                   by: \.0).mapValues { $0.map(\.1) }
        // A vertex joins its input's chain when the edge is a plain forward one.
        func chainsIntoInput(_ vertex: JobSpec.Vertex) -> Bool {
            guard vertex.inputs.count == 1, vertex.keyBy.isEmpty, let input = spec.vertex(vertex.inputs[0]) else { return false }
            return consumers[input.id]?.count == 1 && parallelism(input) == parallelism(vertex)
        }
        var chains: [Chain] = []
        var chainOf: [String: Int] = [:]
        for vertex in spec.vertices {
            if chainsIntoInput(vertex), let index = chainOf[vertex.inputs[0]] {
                chains[index].operators.append(vertex)
                chainOf[vertex.id] = index
                continue
            }
            let inputs = vertex.inputs.enumerated().map { index, inputID -> Input in
                let producer = chains[chainOf[inputID]!]
                let partitioning: _ProtoPartitioning = !vertex.keyBy.isEmpty ? .hash
                    : producer.parallelism == parallelism(vertex) ? .forward : .rebalance
                return Input(chainID: producer.id, inputIndex: index, partitioning: partitioning, keyBy: vertex.keyBy)
            }
            chainOf[vertex.id] = chains.count
            chains.append(Chain(id: vertex.id, operators: [vertex], parallelism: parallelism(vertex), inputs: inputs))
        }
        self.chains = chains
    }

    public func chain(_ id: String) -> Chain? { chains.first { $0.id == id } }

    /// Slots needed with slot sharing: subtask i of every chain shares slot i.
    public var slotsNeeded: Int { chains.map(\.parallelism).max() ?? 0 }

    /// Chains that consume `chainID`'s output, with the edge.
    public func consumers(of chainID: String) -> [(chain: Chain, input: Input)] {
        chains.flatMap { chain in chain.inputs.filter { $0.chainID == chainID }.map { (chain, $0) } }
    }
}
