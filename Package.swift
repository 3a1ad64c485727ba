// swift-tools-version: 6.2
import PackageDescription

/// Sluice: a Flink-style distributed stream processor.
///
/// The folder tells the architecture (see DESIGN.md §2): one library per role
/// (`Protocol`, `Engine`, `Catalog`, `Operators`, `TaskManager`, `JobManager`), one small wrapper
/// module per C library (`Kafka`, `RocksDB`, `Postgres`) over its
/// system-library target (`C*`), and thin executables (`*CLI`).
let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

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
        // The engine: schemas, kind declarations, job specs and their validation. Links no C
        // library, so the JobManager can type-check jobs without librdkafka or libpq.
        .target(
            name: "SluiceEngine",
            dependencies: ["SluiceCore", .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams")],
            path: "Sources/Engine",
            swiftSettings: strictSwift),
        // Declarations of every built-in operator kind (parameters, schemas, keying, counters).
        .target(
            name: "SluiceCatalog",
            dependencies: ["SluiceEngine", "SluiceLibrary"],
            path: "Sources/Catalog",
            swiftSettings: strictSwift),
        // Generic operators over rows (windows, Top-N, …): pure logic on the engine's rows.
        .target(
            name: "SluiceLibrary",
            dependencies: ["SluiceCore", "SluiceEngine"],
            path: "Sources/Library",
            swiftSettings: strictSwift),
        .target(
            name: "SluiceOperators",
            dependencies: ["SluiceCore", "SluiceEngine", "SluiceCatalog", "SluiceLibrary", "SluiceKafka", "SluicePostgres",
                           .product(name: "Logging", package: "swift-log"), .product(name: "Yams", package: "Yams"),
                           .product(name: "HeapModule", package: "swift-collections")],
            path: "Sources/Operators",
            swiftSettings: strictSwift),
        .target(
            name: "SluiceTaskManager", dependencies: [
                "SluiceCore", "SluiceProtocol", "SluiceEngine", "SluiceCatalog", "SluiceOperators", "SluiceRocksDB", "SluicePostgres", "CMalloc",
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
                "SluiceCore", "SluiceProtocol", "SluiceEngine", "SluiceCatalog",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
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
                "SluiceCore", "SluiceKafka", "SluicePostgres", "SluiceTools", "SluiceEngine", "SluiceCatalog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
                "SluiceCore", "SluiceKafka", "SluicePostgres", "SluiceOperators",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Tools",
            swiftSettings: strictSwift),

        .target(
            name: "SluiceTestSupport", dependencies: ["SluiceCore"],
            path: "Tests/Support",
            swiftSettings: strictSwift),
        .testTarget(name: "ProtocolTests", dependencies: ["SluiceProtocol", "SluiceCore"], swiftSettings: strictSwift),
        .testTarget(name: "CoreTests", dependencies: ["SluiceCore", "SluiceEngine", "SluiceCatalog", "SluiceOperators"],
                    swiftSettings: strictSwift),
        .testTarget(name: "EngineTests", dependencies: ["SluiceEngine", "SluiceCatalog", "SluiceCore", "SluiceTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "LibraryTests", dependencies: ["SluiceLibrary", "SluiceEngine", "SluiceTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "OperatorsTests", dependencies: ["SluiceOperators", "SluiceEngine", "SluiceTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "TaskManagerTests", dependencies: ["SluiceTaskManager", "SluiceProtocol", "SluiceEngine", "SluiceCatalog", "SluiceOperators", "SluicePostgres", "SluiceTestSupport",
                                                             .product(name: "NIOCore", package: "swift-nio")],
                    swiftSettings: strictSwift),
        .testTarget(name: "JobManagerTests", dependencies: ["SluiceJobManager", "SluiceProtocol", "SluiceCore", "SluiceEngine",
                                                            "SluiceCatalog", "SluiceTestSupport",
                                                            .product(name: "Hummingbird", package: "hummingbird")],
                    swiftSettings: strictSwift),
        .testTarget(name: "KafkaTests", dependencies: ["SluiceKafka", "SluiceTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "RocksDBTests", dependencies: ["SluiceRocksDB", "SluiceTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "ToolsTests", dependencies: ["SluiceTools", "SluiceTestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "PostgresTests", dependencies: ["SluicePostgres", "SluiceOperators", "SluiceEngine", "SluiceCatalog", "SluiceTestSupport"],
                    swiftSettings: strictSwift),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["SluiceTestSupport", "SluiceProtocol", "SluiceCore", "SluicePostgres", "SluiceKafka",
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: strictSwift),
    ]
)
