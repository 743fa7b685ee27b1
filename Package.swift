// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "xiezuo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "xiezuo", targets: ["xiezuo"]),
        .executable(name: "xiezuo-bench", targets: ["xiezuo-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(name: "XiezuoDomain", swiftSettings: swiftSettings),
        .target(
            name: "XiezuoStore",
            dependencies: [
                "XiezuoDomain",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [.copy("Resources/regions.tsv"), .copy("Resources/region_history.tsv")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "XiezuoText",
            resources: [
                .copy("Resources/gbk.bin"), .copy("Resources/readings.tsv"), .copy("Resources/t2s.tsv"),
                .copy("Resources/lm-unigrams.tsv"), .copy("Resources/lm-bigrams.bin"), .copy("Resources/gb18030-pua.tsv"),
                .copy("Resources/lm-words.bin"),
            ],
            swiftSettings: swiftSettings
        ),
        // File formats: XLSX written, text taken out of HTML and .docx, legacy encodings (zip through ZIPFoundation).
        .target(
            name: "XiezuoFormats", dependencies: ["XiezuoText", "XiezuoDomain", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings),
        .target(
            name: "XiezuoReports", dependencies: ["XiezuoDomain", "XiezuoStore", "XiezuoFormats"],
            resources: [.copy("Resources/county-map.tsv")], swiftSettings: swiftSettings),
        .target(
            name: "XiezuoWeb",
            dependencies: [
                "XiezuoDomain", "XiezuoStore", "XiezuoReports", "XiezuoText", "XiezuoFormats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static"), .copy("Resources/openapi.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "xiezuo",
            dependencies: [
                "XiezuoWeb", "XiezuoStore", "XiezuoText", "XiezuoDomain", "XiezuoReports", "XiezuoFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "xiezuo-bench",
            dependencies: [
                "XiezuoWeb", "XiezuoStore", "XiezuoDomain", "XiezuoText", "XiezuoReports", "XiezuoFormats",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "XiezuoDomainTests", dependencies: ["XiezuoDomain"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "XiezuoStoreTests",
            dependencies: [
                "XiezuoStore", "XiezuoDomain", .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "XiezuoTextTests", dependencies: ["XiezuoText"], resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "XiezuoFormatsTests", dependencies: ["XiezuoFormats", "XiezuoDomain", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "XiezuoReportsTests",
            dependencies: [
                "XiezuoReports", "XiezuoStore", "XiezuoDomain", "XiezuoFormats", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Logging", package: "swift-log"), .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "XiezuoWebTests",
            dependencies: [
                "XiezuoWeb", "XiezuoStore", "XiezuoDomain", "XiezuoFormats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// Fuzz targets (scripts/fuzz): built only when XIEZUO_FUZZ is set, with `-sanitize=fuzzer,address`, into a build
// folder of their own. Each is an executable whose entry point hands libFuzzer's driver (FuzzDriver) the function
// under test.
if Context.environment["XIEZUO_FUZZ"] != nil {
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("fuzz-xml", ["XiezuoFormats"]), ("fuzz-xlsx", ["XiezuoFormats", "XiezuoDomain"]), ("fuzz-csv", ["XiezuoFormats"]),
        ("fuzz-docx", ["XiezuoFormats"]), ("fuzz-html", ["XiezuoFormats"]), ("fuzz-multipart", ["XiezuoFormats"]),
        ("fuzz-cells", ["XiezuoDomain"]), ("fuzz-repair", ["XiezuoText"]), ("fuzz-search", ["XiezuoDomain"]),
        ("fuzz-evidence", ["XiezuoFormats", "XiezuoDomain"]),
    ]
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/FuzzDriver"))
    for (name, deps) in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: name, dependencies: deps + ["FuzzDriver"], path: "Fuzz/" + name,
                swiftSettings: [.unsafeFlags(["-parse-as-library"])],
                // Swift's own linker (gold) stumbles over the sanitizer's debug information; lld does not.
                linkerSettings: [.unsafeFlags(["-use-ld=lld"])]))
    }
}
