// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Rapport",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rapport", targets: ["rapport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/JohnSundell/Ink.git", from: "0.6.0"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: [
        .target(
            name: "RapportCore",
            swiftSettings: strictSettings
        ),
        .target(
            name: "RapportStore",
            dependencies: [
                "RapportCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RapportFormats",
            dependencies: [
                "RapportCore",
                "RapportStore",
                .product(name: "Ink", package: "Ink"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RapportWeb",
            dependencies: [
                "RapportCore",
                "RapportStore",
                "RapportFormats",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RapportCLI",
            dependencies: [
                "RapportCore",
                "RapportStore",
                "RapportFormats",
                "RapportWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "rapport",
            dependencies: ["RapportCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "RapportCoreTests", dependencies: ["RapportCore"], swiftSettings: strictSettings),
        .testTarget(name: "RapportStoreTests", dependencies: ["RapportStore", "RapportCore"], swiftSettings: strictSettings),
        .testTarget(name: "RapportFormatsTests", dependencies: ["RapportFormats", "RapportStore", "RapportCore"], exclude: ["Snapshots"], swiftSettings: strictSettings),
        .testTarget(
            name: "RapportWebTests",
            dependencies: [
                "RapportWeb", "RapportStore", "RapportCore", "RapportFormats",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "RapportCLITests", dependencies: ["RapportCLI", "RapportStore", "RapportCore"], swiftSettings: strictSettings),
        // One behaviour through every interface at once (CLI, pages, API, store): what one interface sets, another
        // finds and keeps.
        .testTarget(
            name: "RapportInterfaceTests",
            dependencies: [
                "RapportCLI", "RapportWeb", "RapportFormats", "RapportStore", "RapportCore",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
