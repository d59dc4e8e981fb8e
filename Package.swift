// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "VORegistry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "voreg", targets: ["voreg"]),
        .library(name: "VOResource", targets: ["VOResource"]),
        .library(name: "RegistryStore", targets: ["RegistryStore"]),
        .library(name: "ADQL", targets: ["ADQL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // libxml2 from the system (Debian: libxml2-dev), with a shim that makes its macros callable.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // VOResource records: model, safe XML reading, writing, XSD validation.
        .target(
            name: "VOResource",
            dependencies: ["CLibXML2"]
        ),
        // The SQLite store: RegTAP rr tables, FTS5, records and their OAI state.
        .target(
            name: "RegistryStore",
            dependencies: [
                "VOResource",
                "MOC",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The OAI-PMH 2.0 protocol core: requests, resumption tokens, the read side, responses.
        .target(
            name: "OAIPMH",
            dependencies: ["VOResource", "RegistryStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // The RegTAP TAP service: ADQL queries, VOTable output, UWS jobs, VOSI, TAP_SCHEMA.
        .target(
            name: "TAPService",
            dependencies: [
                "ADQL", "RegistryStore", "VOResource",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // Publishing: accounts, tokens, publishing rules, descriptor expansion, the VOSI reader.
        .target(
            name: "Publisher",
            dependencies: [
                "RegistryStore", "VOResource",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The HTTP server: OAI-PMH at /oai, /metrics, JSON logs, the registry's own records.
        .target(
            name: "RegistryServer",
            dependencies: [
                "OAIPMH",
                "ADQL",
                "TAPService",
                "Harvester",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                "RegistryStore",
                "VOResource",
                "Discovery",
                "Publisher",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // MOC 2.0 and HEALPix NESTED: cell sets, ASCII MOCs, the MOC of points, circles, polygons.
        .target(name: "MOC"),
        // ADQL 2.1: parser, the rr catalog (RegTAP 1.2), translation to SQLite SQL, RegTAP UDFs.
        .target(
            name: "ADQL",
            dependencies: ["RegistryStore", "MOC", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Discovery: ranked search (FTS5 bm25 + boosts), facets, resource details, registry status.
        .target(
            name: "Discovery",
            dependencies: ["RegistryStore", "VOResource", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // Harvesting peer registries: the HTTP client side of OAI-PMH, peers, the scheduler.
        .target(
            name: "Harvester",
            dependencies: [
                "OAIPMH",
                "RegistryStore",
                "VOResource",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "voreg",
            dependencies: [
                "VOResource",
                "RegistryStore",
                "ADQL",
                "RegistryServer",
                "TAPService",
                "Harvester",
                "Publisher",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Fixtures shared by the test targets (paths, records written for the tests).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MOCTests", dependencies: ["MOC"]),
        .testTarget(name: "VOResourceTests", dependencies: ["VOResource", "TestSupport"]),
        .testTarget(name: "RegistryStoreTests", dependencies: ["RegistryStore", "VOResource", "TestSupport"]),
        .testTarget(
            name: "OAIPMHTests",
            dependencies: ["OAIPMH", "RegistryStore", "VOResource", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "TAPServiceTests",
            dependencies: ["TAPService", "ADQL", "RegistryStore", "VOResource", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ADQLTests", dependencies: ["ADQL", "MOC", "RegistryStore", "VOResource", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "DiscoveryTests",
            dependencies: ["Discovery", "RegistryStore", "VOResource", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "HarvesterTests",
            dependencies: [
                "Harvester", "OAIPMH", "RegistryStore", "VOResource", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "PublisherTests",
            dependencies: ["Publisher", "RegistryStore", "VOResource", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "RegistryServerTests",
            dependencies: [
                "RegistryServer", "OAIPMH", "RegistryStore", "VOResource", "TestSupport", "Harvester", "Publisher",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (`make fuzz`, scripts/fuzz.sh): only when VOREG_FUZZ=1, so that a plain
// `swift build` / `swift test` never sees them (they need -sanitize=fuzzer to link).
if Context.environment["VOREG_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzADQL", ["ADQL", "TAPService"]),
        ("FuzzVOResource", ["VOResource", "RegistryStore"]),
        ("FuzzOAIRequest", ["OAIPMH", "RegistryStore", "VOResource", "FuzzOAIFixture"]),
        ("FuzzResumptionToken", ["OAIPMH", "RegistryStore", "VOResource", "FuzzOAIFixture"]),
        ("FuzzUpload", ["TAPService", "ADQL"]),
        ("FuzzDescriptor", ["Publisher", "VOResource"]),
    ]
    package.targets.append(.target(name: "CFuzzDriver", path: "Fuzz/CFuzzDriver"))
    package.targets.append(
        .target(name: "FuzzOAIFixture", dependencies: ["OAIPMH", "RegistryStore", "VOResource"], path: "Fuzz/FuzzOAIFixture"))
    for t in fuzzTargets {
        package.targets.append(
            .executableTarget(name: t.name, dependencies: t.dependencies + ["CFuzzDriver"], path: "Fuzz/\(t.name)"))
        package.products.append(.executable(name: t.name, targets: [t.name]))
    }
}
