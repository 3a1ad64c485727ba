// swift-tools-version: 6.2
import PackageDescription

/// Sluice: a Flink-style distributed stream processor.
///
/// The folder tells the architecture (see README "Layout"): the engine (`Engine`: rows, schemas,
/// operator API, kind declarations, job specs) that the runtime (`TaskManager`, `JobManager`)
/// depends on; the operator library (`Library`); the connectors (`Connectors/Kinds`, C-free
/// declarations, and `Connectors/Operators`); each job's own folder (`Jobs/…`); `Catalog` and
/// `Operators` assemble what this build ships. One small wrapper module per C library (`Kafka`,
/// `RocksDB`, `Postgres`) over its system-library target (`C*`), and thin executables (`*CLI`).
let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // The record path crosses modules (a job's decoder calls the engine's JSON scanner and row
    // builder for every record); without cross-module optimization none of that is inlined or
    // specialized, and a release build decoded 4x slower than with everything in one module.
    .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release)),
    // Release builds skip the dynamic exclusivity checks (a thread-local access set updated on
    // every `inout` of a class property, ~3 % of the attribution job's CPU); debug builds, which
    // every test runs, keep them, so a violation still traps there.
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

/// What the tests of operators, the TaskManager and the tools may reach: every layer of the
/// engine, the library, the connectors and the shipped job.
let operatorLayers: [Target.Dependency] = ["SluiceEngine", "SluiceLibrary", "SluiceConnectorKinds", "SluiceConnectors",
                                           "SluiceAttribution", "SluiceCatalog", "SluiceOperators"]

let package = Package(
    name: "sluice",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jobmanager", targets: ["JobManagerCLI"]),
        .executable(name: "taskmanager", targets: ["TaskManagerCLI"]),
        .executable(name: "sluice", targets: ["SluiceCLI"]),
        .executable(name: "devbroker", targets: ["DevBrokerCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // System libraries, found through pkg-config (Debian's -dev packages; `make setup` installs them).
        .systemLibrary(name: "CRdKafka", path: "Sources/CRdKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev"])]),
        .systemLibrary(name: "CRocksDB", path: "Sources/CRocksDB", pkgConfig: "rocksdb",
                       providers: [.apt(["librocksdb-dev"])]),
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        // glibc's malloc tuning (mallopt, malloc_trim), which Swift's Glibc module leaves out.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CLibCrypto", path: "Sources/CLibCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        .target(
            name: "SluiceCore", dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Sources/Core",
            swiftSettings: strictSwift),
        .target(
            name: "SluiceProtocol", dependencies: [
                "SluiceCore", "CLibCrypto",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Protocol",
            swiftSettings: strictSwift),
        .target(
            name: "SluiceKafka", dependencies: ["CRdKafka", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Kafka",
            swiftSettings: strictSwift),
        .target(
            name: "SluiceRocksDB", dependencies: ["CRocksDB"],
            path: "Sources/RocksDB",
            swiftSettings: strictSwift),
        .target(
            name: "SluicePostgres", dependencies: ["CLibPQ", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Postgres",
            swiftSettings: strictSwift),
        // The engine: rows, schemas, JSON decoding by schema, the operator API (operators, state,
        // checkpoints, side outputs), kind declarations, job specs and their validation. Links no
        // C library, so the JobManager can type-check jobs without librdkafka or libpq.
        .target(
            name: "SluiceEngine",
            dependencies: ["SluiceCore", .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams"),
                           .product(name: "HeapModule", package: "swift-collections")],
            path: "Sources/Engine",
            swiftSettings: strictSwift),
        // The operator library: generic operators over rows (filter, project, windows, Top-N),
        // their declarations and factories. Pure Swift on the engine.
        .target(
            name: "SluiceLibrary",
            dependencies: ["SluiceCore", "SluiceEngine", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Library",
            swiftSettings: strictSwift),
        // The connectors' declarations (C-free, for the JobManager) and their implementations
        // (Kafka, files, PostgreSQL, blackhole), which link librdkafka and libpq.
        .target(
            name: "SluiceConnectorKinds",
            dependencies: ["SluiceEngine"],
            path: "Sources/Connectors/Kinds",
            swiftSettings: strictSwift),
        .target(
            name: "SluiceConnectors",
            dependencies: ["SluiceCore", "SluiceEngine", "SluiceConnectorKinds", "SluiceKafka", "SluicePostgres",
                           .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams")],
            path: "Sources/Connectors/Operators",
            swiftSettings: strictSwift),
        // The first-click checkout attribution job: its record formats, schemas, fused operator and
        // its kind. Pure Swift on the engine; the runtime never names it.
        .target(
            name: "SluiceAttribution",
            dependencies: ["SluiceCore", "SluiceEngine", "SluiceConnectorKinds", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Jobs/Attribution",
            swiftSettings: strictSwift),
        // What this build ships, assembled in one place: every kind and record format
        // (`BuiltInKinds`, C-free, for the JobManager) and every factory (`BuiltInOperators`).
        .target(
            name: "SluiceCatalog",
            dependencies: ["SluiceEngine", "SluiceLibrary", "SluiceConnectorKinds", "SluiceAttribution"],
            path: "Sources/Catalog",
            swiftSettings: strictSwift),
        .target(
            name: "SluiceOperators",
            dependencies: ["SluiceEngine", "SluiceCatalog", "SluiceLibrary", "SluiceConnectors", "SluiceAttribution",
                           .product(name: "Logging", package: "swift-log")],
            path: "Sources/Operators",
            swiftSettings: strictSwift),
        // Mutual TLS for the RPC and data connections (swift-nio-ssl), and the CA that
        // `sluice certs init` writes (swift-certificates).
        .target(
            name: "SluiceTLS", dependencies: [
                "SluiceCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/TLS",
            swiftSettings: strictSwift),
        .target(
            name: "SluiceTaskManager", dependencies: [
                "SluiceCore", "SluiceTLS", "SluiceProtocol", "SluiceEngine", "SluiceCatalog", "SluiceOperators", "SluiceRocksDB", "SluicePostgres", "CMalloc",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/TaskManager",
            exclude: ["DataPlane/README.md"],
            swiftSettings: strictSwift),
        .target(
            name: "SluiceJobManager", dependencies: [
                "SluiceCore", "SluiceTLS", "SluiceProtocol", "SluiceEngine", "SluiceCatalog",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/JobManager",
            resources: [.embedInCode("WebUI/Assets/index.html"), .embedInCode("WebUI/Assets/app.css"),
                        .embedInCode("WebUI/Assets/app.js")],
            swiftSettings: strictSwift),

        .executableTarget(
            name: "JobManagerCLI",
            dependencies: [
                "SluiceJobManager", "SluiceCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "TaskManagerCLI",
            dependencies: [
                "SluiceTaskManager", "SluiceCore", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "SluiceCLI",
            dependencies: [
                "SluiceCore", "SluiceKafka", "SluicePostgres", "SluiceTools", "SluiceEngine", "SluiceCatalog", "SluiceAttribution", "SluiceTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSwift),
        .executableTarget(
            name: "DevBrokerCLI",
            dependencies: [
                "SluiceKafka", "SluiceCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift),

        .target(
            name: "SluiceTools", dependencies: [
                "SluiceCore", "SluiceEngine", "SluiceKafka", "SluicePostgres", "SluiceAttribution",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Tools",
            swiftSettings: strictSwift),

        .target(
            name: "SluiceTestSupport", dependencies: ["SluiceCore", .product(name: "Logging", package: "swift-log")],
            path: "Tests/Support",
            swiftSettings: strictSwift),
        .testTarget(name: "ProtocolTests", dependencies: ["SluiceProtocol", "SluiceCore"], swiftSettings: strictSwift),
        .testTarget(name: "CoreTests", dependencies: ["SluiceCore"] + operatorLayers,
                    swiftSettings: strictSwift),
        .testTarget(name: "EngineTests", dependencies: ["SluiceCore", "SluiceTestSupport"] + operatorLayers, swiftSettings: strictSwift),
        .testTarget(name: "LibraryTests", dependencies: ["SluiceTestSupport"] + operatorLayers, swiftSettings: strictSwift),
        .testTarget(name: "OperatorsTests", dependencies: ["SluiceTestSupport"] + operatorLayers, swiftSettings: strictSwift),
        .testTarget(name: "TaskManagerTests", dependencies: ["SluiceTaskManager", "SluiceProtocol", "SluicePostgres", "SluiceTestSupport",
                                                             .product(name: "NIOCore", package: "swift-nio")] + operatorLayers,
                    swiftSettings: strictSwift),
        .testTarget(name: "JobManagerTests", dependencies: ["SluiceJobManager", "SluiceProtocol", "SluiceCore", "SluiceTestSupport",
                                                            .product(name: "Hummingbird", package: "hummingbird")] + operatorLayers,
                    swiftSettings: strictSwift),
        .testTarget(name: "TLSTests", dependencies: ["SluiceTLS", "SluiceCore", "SluiceTestSupport",
                                                     .product(name: "NIOCore", package: "swift-nio"),
                                                     .product(name: "NIOPosix", package: "swift-nio"),
                                                     .product(name: "Logging", package: "swift-log")],
                    swiftSettings: strictSwift),
        .testTarget(name: "KafkaTests", dependencies: ["SluiceKafka", "SluiceTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "RocksDBTests", dependencies: ["SluiceRocksDB", "SluiceTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "ToolsTests", dependencies: ["SluiceTools", "SluiceTestSupport"] + operatorLayers, swiftSettings: strictSwift),
        .testTarget(name: "PostgresTests", dependencies: ["SluicePostgres", "SluiceTestSupport"] + operatorLayers,
                    swiftSettings: strictSwift),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["SluiceTestSupport", "SluiceProtocol", "SluiceCore", "SluicePostgres", "SluiceKafka", "SluiceTLS",
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strictSwift),
    ]
)
