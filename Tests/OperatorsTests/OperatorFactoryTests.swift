import SluiceCatalog
import SluiceEngine
import SluiceOperators
import Testing

/// Every declared kind can run, and every kind that runs is declared: the JobManager accepts
/// exactly what the TaskManagers can instantiate.
@Suite struct OperatorFactoryTests {
    @Test func everyDeclaredKindHasAFactoryAndNoFactoryIsUndeclared() {
        #expect(BuiltInOperators.factories.map(\.declaration.name) == BuiltInKinds.catalog.names())
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
