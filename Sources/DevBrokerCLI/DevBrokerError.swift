/// Failures of the dev broker process itself (the Kafka calls throw `KafkaError`).
enum DevBrokerError: Error, CustomStringConvertible {
    case bootstrapFile(path: String, reason: String)

    var description: String {
        switch self {
        case .bootstrapFile(let path, let reason):
            return "cannot write the bootstrap file \(path): \(reason)"
        }
    }
}
