import SluiceConnectorKinds
import SluiceEngine

extension OperatorContext {
    /// The Kafka kinds' `properties` parameter, parsed (submission checked it already).
    func kafkaProperties() throws(OperatorError) -> [String: String] {
        let text: String?
        do {
            text = try value(KafkaProperties.parameter)
        } catch {
            throw .configuration(operatorID, "\(error)")
        }
        do {
            return try KafkaProperties.parse(text)
        } catch {
            throw .configuration(operatorID, "\(error.field): \(error.message)")
        }
    }
}
