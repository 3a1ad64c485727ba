import SluiceAttribution
import SluiceCatalog
import SluiceConnectorKinds
import SluiceConnectors
import SluiceEngine
import SluiceLibrary
import SluiceOperators
import Testing

/// Every declared kind can run, and every kind that runs is declared: the JobManager accepts
/// exactly what the TaskManagers can instantiate.
@Suite struct OperatorFactoryTests {
    @Test func everyDeclaredKindHasAFactoryAndNoFactoryIsUndeclared() {
        #expect(BuiltInOperators.factories.map(\.declaration.name) == BuiltInKinds.catalog.names())
    }

    @Test func everyDeclaredRecordFormatHasADecoderAndNoDecoderIsUndeclared() {
        #expect(BuiltInOperators.formats.map(\.declaration.name) == BuiltInKinds.formats.map(\.name))
        #expect(BuiltInKinds.catalog.formats.map(\.name) == BuiltInKinds.formats.map(\.name))
        for format in BuiltInOperators.formats {
            #expect(throws: RecordDecodingError.self, "\(format.declaration.name) refuses what is not its record") {
                _ = try [UInt8]("[1]".utf8).withUnsafeBytes { try format.makeDecoder(1024).decode($0) }
            }
        }
    }

    @Test func factoriesMakeInstancesOfTheirRole() {
        for factory in BuiltInOperators.factories {
            switch factory.make() {
            case .source: #expect(factory.declaration.role == .source, "\(factory.declaration.name)")
            case .operator: #expect(factory.declaration.role != .source, "\(factory.declaration.name)")
            }
        }
    }

    @Test func anUnknownKindHasNoFactory() {
        #expect(BuiltInOperators.factory("kafka-sauce") == nil)
    }
}
