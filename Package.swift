// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "VORegistry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "voreg", targets: ["voreg"]),
        .library(name: "VOResource", targets: ["VOResource"]),
        .library(name: "RegistryStore", targets: ["RegistryStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
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
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The OAI-PMH 2.0 protocol core: requests, resumption tokens, the read side, responses.
        .target(
            name: "OAIPMH",
            dependencies: ["VOResource", "RegistryStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "voreg",
            dependencies: [
                "VOResource",
                "RegistryStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fixtures shared by the test targets (paths, records written for the tests).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "VOResourceTests", dependencies: ["VOResource", "TestSupport"]),
        .testTarget(name: "RegistryStoreTests", dependencies: ["RegistryStore", "VOResource", "TestSupport"]),
        .testTarget(name: "OAIPMHTests", dependencies: ["OAIPMH", "RegistryStore", "VOResource", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
