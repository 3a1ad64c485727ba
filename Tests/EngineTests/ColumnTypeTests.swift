import SluiceEngine
import Testing

@Suite struct ColumnTypeTests {
    @Test(arguments: ["int64", "float64", "decimal(12,2)", "string", "bool", "timestamp", "bytes"])
    func everyTypeNameRoundTrips(_ name: String) throws {
        let type = try #require(ColumnType(parsing: name))
        #expect(type.description == name)
    }

    @Test func decimalsNeedAValidPrecisionAndScale() {
        #expect(ColumnType(parsing: "DECIMAL( 10 , 0 )") == .decimal(precision: 10, scale: 0))
        for bad in ["decimal", "decimal(0,0)", "decimal(39,2)", "decimal(4,5)", "decimal(4)", "decimal(a,b)", "int"] {
            #expect(ColumnType(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func schemaMismatchNamesTheFirstDifference() {
        let schema = Schema(name: "s", columns: [Column("a", .int64), Column("b", .string, nullable: true)])
        #expect(schema.mismatch(against: [Column("a", .int64)]) == nil)
        #expect(schema.mismatch(against: [Column("c", .int64)]) == "lacks column c int64")
        #expect(schema.mismatch(against: [Column("a", .string)]) == "has a int64, not string")
        #expect(schema.mismatch(against: [Column("b", .string)])?.contains("nullable") == true)
    }

    @Test func parametersCanonicaliseYAMLValues() {
        let limit = ParameterDeclaration("n", .integer(1...10), .defaulted("5"), doc: "")
        #expect(limit.canonical(7) == .success("7"))
        #expect(limit.canonical("7") == .success("7"))
        #expect(limit.canonical(11) == .failure(ParameterValueError(expected: "an integer in 1…10", got: "11")))
        #expect(limit.canonical(["a"]).map { _ in true } != .success(true))
        let flag = ParameterDeclaration("f", .boolean, .defaulted("false"), doc: "")
        #expect(flag.canonical(true) == .success("true"))
        #expect(flag.canonical("FALSE") == .success("false"))
    }
}
